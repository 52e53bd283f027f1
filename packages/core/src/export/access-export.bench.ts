/**
 * Throughput of the three export formats for a 210,000-reading access export (two
 * metering points, both directions, PT15M and PT1H). Run with
 * `npx vitest bench --run src/export` from packages/core; prints figures, asserts nothing.
 */
import { bench, describe } from 'vitest';
import { datahubCsv } from './datahub-csv.js';
import { exportJson } from './export-json.js';
import { htmlReport } from './html-report.js';
import { bigReadings, input } from './test-fixtures.js';

const readings = bigReadings();
const full = input({ readings });

describe('access export, 210,000 readings', () => {
  bench('datahubCsv', () => {
    datahubCsv(readings);
  });
  bench('exportJson', () => {
    exportJson(full);
  });
  bench('htmlReport', () => {
    htmlReport(full);
  });
});

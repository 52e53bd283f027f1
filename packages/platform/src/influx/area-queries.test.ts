import { describe, expect, it } from 'vitest';
import { areaPeriodsFlux, areaProfileFlux, foldAreaRows, QUERY_FIELD } from './area-queries.js';

const fromMs = Date.UTC(2026, 0, 1);
const toMs = Date.UTC(2027, 0, 1);

describe('area rollup queries', () => {
  it('read the hourly area rollups grouped by load-profile cell, one pushdown-able aggregate each', () => {
    const q = areaProfileFlux('rollups', { fromMs, toMs, areaPrefix: '001' });
    expect(q.sums).toContain('r._measurement == "energy_area_1h"');
    expect(q.sums).toContain(
      'group(columns: ["area", "commodity", "direction", "cell", "_field"])',
    );
    expect(q.sums).toMatch(/\|> sum\(\)$/);
    expect(q.largest).toMatch(/r._field == "customers"[\s\S]*\|> max\(\)$/);
    expect(q.windows).toMatch(/r._field == "kwh"[\s\S]*\|> count\(\)$/);
    expect(q.sums).toContain('r.area == "001xx"');
  });

  it('read days and months from the daily area rollups in Helsinki windows, with checked values', () => {
    const q = areaPeriodsFlux('rollups', { fromMs, toMs, granularity: 'month' });
    expect(q.sums).toContain('r._measurement == "energy_area_1d"');
    expect(q.sums).toContain('every: 1mo, fn: sum');
    expect(q.sums).toContain('timezone.location(name: "Europe/Helsinki")');
    expect(() =>
      areaPeriodsFlux('rollups', { fromMs: toMs, toMs: fromMs, granularity: 'day' }),
    ).toThrow(/to/);
    expect(() =>
      areaProfileFlux('rollups', { fromMs, toMs, commodity: 'x" or true' as string }),
    ).toThrow(/commodity/);
  });

  it('fold the figures of each group from the queries’ rows', () => {
    const tags = {
      area: '001xx',
      commodity: 'electricity',
      direction: 'consumption',
      cell: 'weekday-14',
    };
    expect(
      foldAreaRows([
        { ...tags, _field: 'kwh', _value: 12 },
        { ...tags, _field: 'top', _value: 3 },
        { ...tags, _field: 'customers', _value: 40 },
        { ...tags, _field: QUERY_FIELD.largest, _value: 9 },
        { ...tags, _field: QUERY_FIELD.windows, _value: 5 },
      ]),
    ).toEqual([{ ...tags, kwh: 12, topSum: 3, customersSum: 40, customersMax: 9, windows: 5 }]);
  });
});

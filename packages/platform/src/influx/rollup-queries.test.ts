import { describe, expect, it } from 'vitest';
import {
  readingsInRangeFlux,
  rollupDeletePredicate,
  rollupsInRangeFlux,
} from './rollup-queries.js';

const from = Date.UTC(2026, 10, 1);
const to = from + 3_600_000;

describe('rollup queries', () => {
  it('reads kwh and the quality code (or a not yet migrated point’s quality) of a range, one row per series and time', () => {
    const flux = readingsInRangeFlux('readings', from, to);
    expect(flux).toContain(
      'range(start: 2026-11-01T00:00:00.000Z, stop: 2026-11-01T01:00:00.000Z)',
    );
    expect(flux).toContain('r._field == "kwh" or r._field == "q")');
    expect(flux).toContain('keep(columns: ["_time", "kwh", "q", "d", "p", "r"])');
    expect(flux).toContain('pivot(rowKey: ["_time"]');
  });

  it('reads and deletes only the rollup measurements, with checked values', () => {
    expect(rollupsInRangeFlux('rollups', 'energy_1h', from, to)).toContain(
      'r._measurement == "energy_1h"',
    );
    expect(rollupDeletePredicate('energy_1d')).toBe('_measurement="energy_1d"');
    expect(() => rollupsInRangeFlux('rollups', 'energy" or true', from, to)).toThrow(/measurement/);
    expect(() => rollupDeletePredicate('energy')).toThrow(/measurement/);
    expect(() => readingsInRangeFlux('readings', to, from)).toThrow(/to/);
  });
});

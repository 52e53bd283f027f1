import { describe, expect, it } from 'vitest';
import {
  consecutiveRuns,
  joinedRun,
  type ReadingRun,
  readingRuns,
  runReadings,
  runsLength,
} from './reading-runs.js';
import { MP_A, series } from './test-fixtures.js';
import type { ExportReading } from './types.js';

const r = (over: Partial<ExportReading>): ExportReading => ({
  meteringPointId: 'MP1',
  direction: 'consumption',
  resolution: 'PT15M',
  startMs: 0,
  quantityWh: 1,
  quality: 'measured',
  dataStatus: null,
  ...over,
});

describe('readingRuns', () => {
  it('splits readings into runs where the series changes and gives them back unchanged', () => {
    const readings = [
      r({ startMs: 0, dataStatus: 'final' }),
      r({ startMs: 900_000, quantityWh: null, quality: 'missing' }),
      r({ startMs: 0, direction: 'production' }),
      r({ startMs: 0, resolution: 'PT1H' }),
      r({ startMs: 0, meteringPointId: 'MP2', quality: 'estimated', dataStatus: 'preliminary' }),
    ];
    const runs = readingRuns(readings);
    expect(runs.map((x) => x.length)).toEqual([2, 1, 1, 1]);
    expect(runsLength(runs)).toBe(5);
    expect(runs[0]?.marks).toEqual([
      { quality: 'measured', dataStatus: 'final' },
      { quality: 'missing', dataStatus: null },
    ]);
    expect(Number.isNaN(runs[0]?.wh[1])).toBe(true);
    expect(runs.flatMap(runReadings)).toEqual(readings);
  });

  it('reads an absent status as none', () => {
    const { dataStatus: _, ...withoutStatus } = r({});
    expect(readingRuns([withoutStatus])[0]?.marks).toEqual([
      { quality: 'measured', dataStatus: null },
    ]);
  });

  it('refuses a non-finite time or quantity', () => {
    expect(() => readingRuns([r({ startMs: Number.NaN })])).toThrow(RangeError);
    expect(() => readingRuns([r({ quantityWh: Number.POSITIVE_INFINITY })])).toThrow(RangeError);
    expect(() => readingRuns([r({ quantityWh: Number.NaN })])).toThrow(/finite quantity/);
  });
});

describe('joinedRun', () => {
  const readings = series(MP_A, 'consumption', 'PT15M', '2026-01-01T00:00:00Z', 40, (i) =>
    i % 9 === 4 ? null : i,
  ).map((r, i) => (i >= 20 ? { ...r, dataStatus: 'final' as const } : r));
  const slice = (from: number, to: number) => readingRuns(readings.slice(from, to));

  it('joins slices of one series in time order into the run of all their readings', () => {
    const joined = joinedRun([...slice(0, 25), ...slice(25, 25), ...slice(25, 40)]);
    expect(joined && runReadings(joined)).toEqual(
      readings.map((r) => ({ dataStatus: null, ...r })),
    );
    const one = slice(0, 40)[0] as ReadingRun;
    expect(joinedRun([one])).toBe(one);
  });

  it('refuses slices out of order, overlapping, or of different series', () => {
    expect(joinedRun([...slice(25, 40), ...slice(0, 25)])).toBeNull();
    expect(joinedRun([...slice(0, 26), ...slice(25, 40)])).toBeNull();
    const production = readingRuns(
      readings.slice(25).map((r) => ({ ...r, direction: 'production' as const })),
    );
    expect(joinedRun([...slice(0, 25), ...production])).toBeNull();
    expect(joinedRun([])).toBeNull();
  });

  it('has consecutiveRuns take the same slices as they are, not copied', () => {
    const parts = [...slice(0, 25), ...slice(25, 25), ...slice(25, 40)];
    expect(consecutiveRuns(parts)).toEqual([parts[0], parts[1]]);
    expect((consecutiveRuns(parts) ?? [])[1]).toBe(parts[1]);
    expect(consecutiveRuns([...slice(0, 26), ...slice(25, 40)])).toBeNull();
    expect(consecutiveRuns([])).toEqual([]);
  });
});

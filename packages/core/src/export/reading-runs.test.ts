import { describe, expect, it } from 'vitest';
import { readingRuns, runReadings, runsLength } from './reading-runs.js';
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

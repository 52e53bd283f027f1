import { describe, expect, it } from 'vitest';
import { aggregateRuns } from './aggregate.js';
import { datahubCsvRunsBytes } from './datahub-csv.js';
import { exportJsonOneSeriesParts, exportJsonRunsBytes } from './export-json.js';
import { type ReadingRun, readingRuns } from './reading-runs.js';
import { SeriesRowsBuilder, streamedRows } from './series-rows.js';
import { input, MP_A, series } from './test-fixtures.js';

const readings = series(MP_A, 'consumption', 'PT15M', '2026-03-28T22:00:00Z', 500, (i) =>
  i % 7 === 3 ? null : i * 11 - 40,
).map((r, i) => (i % 5 === 0 ? { ...r, dataStatus: 'final' as const } : r));
const [run] = readingRuns(readings) as [ReadingRun];

/** The run built as slices (split at `cuts`), each handed on in pieces of `piece`. */
function built(cuts: number[], piece: number): SeriesRowsBuilder[] {
  const bounds = [0, ...cuts, run.length];
  return bounds.slice(1).map((to, k) => {
    const b = new SeriesRowsBuilder(10);
    for (let at = bounds[k] as number; at < to; at += piece)
      b.add(run, at, Math.min(at + piece, to));
    b.end(true);
    return b;
  });
}

describe('SeriesRowsBuilder and streamedRows', () => {
  it('give the bytes of the whole-run builders, however the series is sliced', () => {
    const csv = datahubCsvRunsBytes([run]);
    const json = exportJsonRunsBytes(input(), [run]);
    for (const [cuts, piece] of [
      [[], 1],
      [[250], 7],
      [[0, 499], 64],
      [[100, 100, 300], 1000],
    ] as Array<[number[], number]>) {
      const rows = streamedRows(built(cuts, piece), [run]);
      expect(rows).not.toBeNull();
      expect(Buffer.concat(rows?.csv ?? [])).toEqual(csv);
      expect(Buffer.concat(exportJsonOneSeriesParts(input(), run, rows?.json ?? []))).toEqual(json);
      expect(rows?.totals).toEqual(aggregateRuns([run]));
    }
  });

  it('are used with the read as it came, one run per slice', () => {
    const parts = readingRuns(readings.slice(0, 250)).concat(readingRuns(readings.slice(250)));
    const rows = streamedRows(built([250], 7), parts);
    expect(Buffer.concat(rows?.csv ?? [])).toEqual(datahubCsvRunsBytes([run]));
    expect(rows?.totals).toEqual(aggregateRuns([run]));
    expect(streamedRows(built([250], 7), parts.slice(0, 1))).toBeNull();
    expect(streamedRows(built([250], 7), [...parts].reverse())).toBeNull();
  });

  it('are not used when a slice was not built whole, in order, or of the run', () => {
    const incomplete = built([250], 10);
    incomplete[1]?.end(false);
    expect(streamedRows(incomplete, [run])).toBeNull();
    expect(streamedRows(built([250], 10).reverse(), [run])).toBeNull();
    expect(streamedRows(built([250], 10).slice(0, 1), [run])).toBeNull();
    const other = readingRuns(readings.map((r) => ({ ...r, direction: 'production' as const })));
    expect(streamedRows(built([250], 10), other)).toBeNull();
    expect(streamedRows(built([250], 10), [run, run])).toBeNull();
    const mixed = new SeriesRowsBuilder(10);
    mixed.add(run, 0, 10);
    mixed.add(other[0] as ReadingRun, 10, run.length);
    mixed.end(true);
    expect(streamedRows([mixed], [run])).toBeNull();
  });
});

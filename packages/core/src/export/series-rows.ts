/**
 * The CSV's and JSON's rows of an export built while its readings are read: a slice of a
 * series at a time, as the parser completes them, so that building overlaps InfluxDB's
 * encoding of the rest of the response instead of following it. Bytes as the builders of
 * whole runs write them (`datahubCsvRows`, `exportJsonRows`).
 */
import { type ReadingTotals, RunsAggregator } from './aggregate.js';
import { ByteWriter } from './byte-writer.js';
import { DATAHUB_CSV_HEAD, DATAHUB_CSV_ROW_BYTES } from './datahub-csv.js';
import { consecutiveRuns, type ReadingRun, runsLength } from './reading-runs.js';
import { writeRows } from './row-bytes.js';

/** A consumer of one query's readings of one series, in time order, as they are read. */
export interface RunSink {
  /** Readings `from` (inclusive) `to` (exclusive) of `run`, a view valid during the call. */
  add(run: ReadingRun, from: number, to: number): void;
  /** The read ended; `whole` when every reading it gave went through `add`, in order. */
  end(whole: boolean): void;
}

/** Bytes of a JSON row, to size the buffer. */
const JSON_ROW_BYTES = 56;

/** The rows of one slice (one query) of a series, built as they arrive. */
export class SeriesRowsBuilder implements RunSink {
  readonly csv: ByteWriter;
  readonly json: ByteWriter;
  /** The report's totals of the rows, summed as they arrive too. */
  readonly totals = new RunsAggregator();
  rows = 0;
  firstMs = Number.NaN;
  lastMs = Number.NaN;
  private series: Pick<ReadingRun, 'meteringPointId' | 'direction' | 'resolution'> | null = null;
  private broken = false;
  private whole = false;

  /** @param expectedReadings a guess, to size the buffers once (they grow when needed). */
  constructor(expectedReadings: number) {
    const n = Math.max(0, Math.min(expectedReadings, 1 << 22));
    this.csv = ByteWriter.pooled(n * DATAHUB_CSV_ROW_BYTES + 256);
    this.json = ByteWriter.pooled(n * JSON_ROW_BYTES + 256);
  }

  add(run: ReadingRun, from: number, to: number): void {
    if (to <= from || this.broken) return;
    const s = this.series;
    if (s === null) this.series = run;
    else if (
      s.meteringPointId !== run.meteringPointId ||
      s.direction !== run.direction ||
      s.resolution !== run.resolution
    ) {
      this.broken = true;
      return;
    }
    writeRows(this.csv, this.json, run, from, to, this.rows === 0);
    this.totals.add(run, from, to);
    if (this.rows === 0) this.firstMs = run.startMs[from] as number;
    this.lastMs = run.startMs[to - 1] as number;
    this.rows += to - from;
  }

  end(whole: boolean): void {
    this.whole = whole && !this.broken;
  }

  /**
   * Gives the buffers back for the next export's builders, once the bytes (`streamedRows`'
   * parts) are written out and no longer read.
   */
  release(): void {
    this.csv.release();
    this.json.release();
  }

  /** Whether every reading of the slice went through `add`, of one series, in order. */
  get complete(): boolean {
    return this.whole;
  }

  /** The series of the rows; null before the first. */
  get of(): Pick<ReadingRun, 'meteringPointId' | 'direction' | 'resolution'> | null {
    return this.series;
  }
}

/**
 * The CSV (whole file), the JSON's readings (a part per slice) and the report's totals
 * built while reading, if they are exactly what the builders would write of `runs`: one
 * series read in slices in time order (one run, or one run per slice), each slice built
 * whole. Null otherwise (then the builders run on `runs`).
 */
export function streamedRows(
  slices: readonly SeriesRowsBuilder[],
  runs: readonly ReadingRun[],
): { csv: Buffer[]; json: Buffer[]; totals: ReadingTotals } | null {
  // The runs: one series, in consecutive non-empty slices (the read's, not joined).
  const [run] = runs;
  const end = runs[runs.length - 1];
  if (
    run === undefined ||
    end === undefined ||
    slices.length === 0 ||
    consecutiveRuns(runs)?.length !== runs.length
  ) {
    return null;
  }
  let rows = 0;
  let lastMs = Number.NEGATIVE_INFINITY;
  let first = Number.NaN;
  for (const b of slices) {
    if (!b.complete) return null;
    if (b.rows === 0) continue;
    const of = b.of;
    if (
      of === null ||
      of.meteringPointId !== run.meteringPointId ||
      of.direction !== run.direction ||
      of.resolution !== run.resolution ||
      !(b.firstMs > lastMs)
    ) {
      return null;
    }
    if (rows === 0) first = b.firstMs;
    lastMs = b.lastMs;
    rows += b.rows;
  }
  if (
    rows !== runsLength(runs) ||
    first !== run.startMs[0] ||
    lastMs !== end.startMs[end.length - 1]
  ) {
    return null;
  }
  const head = new ByteWriter(1024);
  head.cached(DATAHUB_CSV_HEAD);
  return {
    csv: [head.toBuffer(), ...slices.map((b) => b.csv.toBuffer())],
    json: slices.map((b) => b.json.toBuffer()),
    totals: RunsAggregator.joined(slices.map((b) => b.totals)).totals(),
  };
}

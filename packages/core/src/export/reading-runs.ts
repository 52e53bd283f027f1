/**
 * The export's readings as columns: runs of consecutive readings of one series (metering
 * point, direction, resolution), each a few typed arrays instead of an object per reading.
 * Six years of one point are ~210,000 readings; as objects they cost the garbage collector
 * more than building a file from them. The builders read runs by index; the object-based
 * API (`ExportReading[]`) is turned into runs first (`readingRuns`), so both give the same
 * bytes.
 */
import type { DataStatus, Direction, Resolution } from '../reading.js';
import type { Quality } from '../validation/quality.js';
import type { ExportReading } from './types.js';

/** A reading's quality and Datahub status (null when the head-end sent none). */
export interface RunMark {
  readonly quality: Quality;
  readonly dataStatus: DataStatus | null;
}

/** Consecutive readings of one series, in the order they are exported. */
export interface ReadingRun {
  readonly meteringPointId: string;
  readonly direction: Direction;
  readonly resolution: Resolution;
  readonly length: number;
  /** Interval starts, UTC epoch ms, finite. */
  readonly startMs: Float64Array;
  /** Watt-hours, finite; NaN where the quantity is missing (null). */
  readonly wh: Float64Array;
  /** Each reading's index into `marks`. */
  readonly mark: Uint32Array;
  readonly marks: readonly RunMark[];
}

/** A run's readings as objects (for the rare merges and sorts that need them). */
export function runReadings(run: ReadingRun): ExportReading[] {
  const out: ExportReading[] = [];
  for (let i = 0; i < run.length; i++) {
    const wh = run.wh[i] as number;
    const m = run.marks[run.mark[i] as number] as RunMark;
    out.push({
      meteringPointId: run.meteringPointId,
      direction: run.direction,
      resolution: run.resolution,
      startMs: run.startMs[i] as number,
      quantityWh: Number.isNaN(wh) ? null : wh,
      quality: m.quality,
      dataStatus: m.dataStatus,
    });
  }
  return out;
}

/**
 * Readings as runs, in their order: a new run wherever the series changes.
 * @throws RangeError when a reading has a non-finite startMs or quantityWh.
 */
export function readingRuns(readings: readonly ExportReading[]): ReadingRun[] {
  const runs: ReadingRun[] = [];
  let i = 0;
  while (i < readings.length) {
    const first = readings[i] as ExportReading;
    let end = i + 1;
    while (end < readings.length) {
      const r = readings[end] as ExportReading;
      if (
        r.meteringPointId !== first.meteringPointId ||
        r.direction !== first.direction ||
        r.resolution !== first.resolution
      ) {
        break;
      }
      end++;
    }
    const length = end - i;
    const startMs = new Float64Array(length);
    const wh = new Float64Array(length);
    const mark = new Uint32Array(length);
    const marks: RunMark[] = [];
    const index = new Map<string, number>();
    for (let k = 0; k < length; k++) {
      const r = readings[i + k] as ExportReading;
      if (!Number.isFinite(r.startMs)) throw new RangeError(`not a finite instant: ${r.startMs}`);
      if (r.quantityWh !== null && !Number.isFinite(r.quantityWh)) {
        throw new RangeError(`not a finite quantity: ${r.quantityWh}`);
      }
      startMs[k] = r.startMs;
      wh[k] = r.quantityWh === null ? Number.NaN : r.quantityWh;
      const status = r.dataStatus || null;
      const key = `${r.quality}\n${status}`;
      let m = index.get(key);
      if (m === undefined) {
        m = marks.length;
        marks.push({ quality: r.quality, dataStatus: status });
        index.set(key, m);
      }
      mark[k] = m;
    }
    runs.push({
      meteringPointId: first.meteringPointId,
      direction: first.direction,
      resolution: first.resolution,
      length,
      startMs,
      wh,
      mark,
      marks,
    });
    i = end;
  }
  return runs;
}

/** How many readings the runs hold. */
export function runsLength(runs: readonly ReadingRun[]): number {
  let n = 0;
  for (const r of runs) n += r.length;
  return n;
}

/**
 * Consecutive slices of one series (each in time order, each slice's readings after the
 * last of the one before) as one run: the readings in the same order, marks renumbered.
 * Null when they are not of one series or not in that order.
 */
export function joinedRun(parts: readonly ReadingRun[]): ReadingRun | null {
  const some = consecutiveRuns(parts);
  const [first] = some ?? [];
  if (some === null || first === undefined) return null;
  if (some.length === 1) return first;
  const length = runsLength(some);
  const startMs = new Float64Array(length);
  const wh = new Float64Array(length);
  const mark = new Uint32Array(length);
  const marks: RunMark[] = [];
  const index = new Map<string, number>();
  let at = 0;
  for (const p of some) {
    const renumber = p.marks.map((m) => {
      const key = `${m.quality}\n${m.dataStatus}`;
      let k = index.get(key);
      if (k === undefined) {
        k = marks.length;
        marks.push(m);
        index.set(key, k);
      }
      return k;
    });
    startMs.set(p.startMs.subarray(0, p.length), at);
    wh.set(p.wh.subarray(0, p.length), at);
    for (let i = 0; i < p.length; i++) mark[at + i] = renumber[p.mark[i] as number] as number;
    at += p.length;
  }
  return { ...first, length, startMs, wh, mark, marks };
}

/**
 * The non-empty runs of `parts` when they are consecutive slices of one series, each
 * slice's first reading after the last of the one before (as `joinedRun` needs them, each
 * in time order); null when not. Not copied: the readings as they are, in runs.
 */
export function consecutiveRuns(parts: readonly ReadingRun[]): ReadingRun[] | null {
  const some = parts.filter((p) => p.length > 0);
  const [first] = some;
  if (first === undefined) return [];
  let last = Number.NEGATIVE_INFINITY;
  for (const p of some) {
    if (
      p.meteringPointId !== first.meteringPointId ||
      p.direction !== first.direction ||
      p.resolution !== first.resolution ||
      !((p.startMs[0] as number) > last)
    ) {
      return null;
    }
    last = p.startMs[p.length - 1] as number;
  }
  return some;
}

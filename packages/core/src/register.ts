/**
 * Cumulative register reads, and how they become interval values. Datahub accepts energy
 * per time step only, so a head-end that sends register reads is differenced here.
 */
import {
  type HeadEndFlag,
  type IntervalValue,
  type PushHeader,
  RESOLUTION_MS,
  type Resolution,
} from './reading.js';
import { instantText } from './validation/time-screen.js';

export interface RegisterRead {
  /** UTC epoch milliseconds of the read, on the resolution grid. */
  readonly atMs: number;
  /** Cumulative register value in watt-hours. */
  readonly registerWh: number;
  readonly flags: readonly HeadEndFlag[];
}

/** One head-end push of register reads for one metering point and direction. */
export interface RegisterReadBatch extends PushHeader {
  /** The register wraps to 0 at this value (e.g. 1e12 for 9 kWh digits, 3 decimals). */
  readonly rolloverWh: number;
  readonly reads: readonly RegisterRead[];
}

/** A register read kept between messages to bridge them. */
export interface RegisterState {
  readonly atMs: number;
  readonly registerWh: number;
}

/**
 * Reads kept per series (metering point and direction): the first and last read of each
 * message, the newest this many. A message bridges to the kept read just before its first
 * and to the one just after its last, so two neighbouring messages give the interval
 * between them whichever of them arrives first (a head-end's backlog, a replayed dead
 * letter, parked and re-queued pushes); a message older than every kept read still
 * bridges to the oldest kept one when it is adjacent.
 */
export const REGISTER_EDGES_KEPT = 32;

export interface RegisterDeltas {
  readonly intervals: IntervalValue[];
  /** The series' kept reads after this batch (`known` with its first and last read). */
  readonly edges: RegisterState[];
  /** Intervals in which the register wrapped past `rolloverWh`. */
  readonly rollovers: number;
  /** Gaps, duplicates and implausible decreases, for logging or validation. */
  readonly problems: string[];
}

/**
 * Turns register reads into interval values: one per pair of reads exactly one resolution
 * step apart, starting at the earlier read. Of `known` (the series' kept reads of earlier
 * messages), the newest read before the batch is used as its first read, and the oldest
 * read after it as its last when it is exactly one step after (the interval between them
 * was not made when that later message came first). A gap between reads, or between the
 * read before and the batch, yields no interval (nothing is invented) and is listed in
 * `problems`. A decrease counts as a rollover when the wrapped delta is under half of
 * `rolloverWh`; any other decrease is kept as a negative value flagged `DATA_NOT_VALID`.
 * Pure; never throws.
 */
export function registerDeltas(
  batch: RegisterReadBatch,
  known: readonly RegisterState[],
): RegisterDeltas {
  const step = RESOLUTION_MS[batch.resolution];
  const reads: RegisterRead[] = [...batch.reads].sort((a, b) => a.atMs - b.atMs);
  const first = reads[0];
  const last = reads.at(-1);
  if (!first || !last) return { intervals: [], edges: [...known], rollovers: 0, problems: [] };
  let before: RegisterState | undefined;
  let after: RegisterState | undefined;
  for (const k of known) {
    if (k.atMs < first.atMs && (!before || k.atMs > before.atMs)) before = k;
    if (k.atMs > last.atMs && (!after || k.atMs < after.atMs)) after = k;
  }
  if (before) reads.unshift({ ...before, flags: [] });
  if (after && after.atMs - last.atMs === step) reads.push({ ...after, flags: [] });

  const intervals: IntervalValue[] = [];
  const problems: string[] = [];
  let rollovers = 0;
  for (let i = 1; i < reads.length; i++) {
    const earlier = reads[i - 1] as RegisterRead;
    const later = reads[i] as RegisterRead;
    const spacing = later.atMs - earlier.atMs;
    if (spacing !== step) {
      problems.push(spacingProblem(earlier.atMs, later.atMs, spacing, batch.resolution));
      continue;
    }
    const delta = deltaOf(earlier.registerWh, later.registerWh, batch.rolloverWh);
    if (delta.rollover) rollovers++;
    let flags = later.flags;
    if (delta.implausible) {
      problems.push(
        `register fell from ${earlier.registerWh} to ${later.registerWh} Wh at ${iso(later.atMs)}, not a plausible rollover`,
      );
      if (!flags.includes('DATA_NOT_VALID')) flags = [...flags, 'DATA_NOT_VALID'];
    }
    intervals.push({ startMs: earlier.atMs, quantityWh: delta.wh, flags });
  }
  return { intervals, edges: keptEdges(known, first, last), rollovers, problems };
}

/** `known` with a batch's first and last read (they replace a kept read at the same instant), the newest REGISTER_EDGES_KEPT. */
function keptEdges(
  known: readonly RegisterState[],
  first: RegisterRead,
  last: RegisterRead,
): RegisterState[] {
  const byTime = new Map<number, RegisterState>();
  for (const k of known) byTime.set(k.atMs, k);
  for (const r of [first, last]) byTime.set(r.atMs, { atMs: r.atMs, registerWh: r.registerWh });
  return [...byTime.values()].sort((a, b) => a.atMs - b.atMs).slice(-REGISTER_EDGES_KEPT);
}

function deltaOf(
  earlierWh: number,
  laterWh: number,
  rolloverWh: number,
): { wh: number; rollover: boolean; implausible: boolean } {
  const plain = laterWh - earlierWh;
  if (plain >= 0) return { wh: plain, rollover: false, implausible: false };
  const wrapped = rolloverWh - earlierWh + laterWh;
  // wrapped < 0 means the earlier read was at or above rolloverWh: no wrap explains it.
  if (wrapped >= 0 && wrapped < rolloverWh / 2) {
    return { wh: wrapped, rollover: true, implausible: false };
  }
  return { wh: plain, rollover: false, implausible: true };
}

function spacingProblem(fromMs: number, toMs: number, spacing: number, res: Resolution): string {
  if (spacing === 0) return `duplicate read at ${iso(fromMs)}`;
  const missing = spacing / RESOLUTION_MS[res] - 1;
  if (Number.isInteger(missing) && missing > 0) {
    return `gap: ${missing} ${res} interval(s) between ${iso(fromMs)} and ${iso(toMs)} not bridged`;
  }
  return `reads at ${iso(fromMs)} and ${iso(toMs)} are not one ${res} apart`;
}

// Reads are not screened before differencing: an absurd timestamp must not throw here.
const iso = instantText;

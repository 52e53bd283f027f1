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

/** The newest read seen for a series, kept between messages to bridge them. */
export interface RegisterState {
  readonly atMs: number;
  readonly registerWh: number;
}

export interface RegisterDeltas {
  readonly intervals: IntervalValue[];
  /** Newest read known: of the batch, or `previous` when that is newer. */
  readonly last: RegisterState | undefined;
  /** Intervals in which the register wrapped past `rolloverWh`. */
  readonly rollovers: number;
  /** Gaps, duplicates and implausible decreases, for logging or validation. */
  readonly problems: string[];
}

/**
 * Turns register reads into interval values: one per pair of reads exactly one resolution
 * step apart, starting at the earlier read. `previous` (the last read of an earlier
 * message) is used as the first read when it is older than the batch; a gap between reads,
 * or between `previous` and the batch, yields no interval (nothing is invented) and is
 * listed in `problems`. A decrease counts as a rollover when the wrapped delta is under
 * half of `rolloverWh`; any other decrease is kept as a negative value flagged
 * `DATA_NOT_VALID`. Pure; never throws.
 */
export function registerDeltas(
  batch: RegisterReadBatch,
  previous: RegisterState | undefined,
): RegisterDeltas {
  const step = RESOLUTION_MS[batch.resolution];
  const reads: RegisterRead[] = [...batch.reads].sort((a, b) => a.atMs - b.atMs);
  const first = reads[0];
  if (previous && (!first || previous.atMs < first.atMs)) reads.unshift({ ...previous, flags: [] });

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
  const newest = reads.at(-1);
  const last = newest && { atMs: newest.atMs, registerWh: newest.registerWh };
  return { intervals, last: newer(last, previous), rollovers, problems };
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

function newer(
  a: RegisterState | undefined,
  b: RegisterState | undefined,
): RegisterState | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.atMs > a.atMs ? b : a;
}

// Reads are not screened before differencing: an absurd timestamp must not throw here.
const iso = instantText;

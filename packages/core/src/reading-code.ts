import type { DataStatus } from './reading.js';
import { HEAD_END_FLAGS } from './reading.js';
import { type Quality, VALIDATION_FLAGS } from './validation/quality.js';

/**
 * A reading's quality, flags and Datahub status as one small integer, the field `q`,
 * written only when it is not 0: nearly every reading is measured, unflagged and
 * preliminary, and InfluxDB pays per field column, most for strings.
 * Bits 0-1 quality, bits 2-3 Datahub status, bits 4+ one per flag name.
 */
export const QUALITY_FIELD = 'q';

const QUALITIES: readonly Quality[] = ['measured', 'estimated', 'suspect', 'missing'];
/** Index 2: the reading had no Datahub status (register reads). */
const STATUSES: ReadonlyArray<DataStatus | undefined> = ['preliminary', 'final', undefined];

/** Every flag name a reading can carry, sorted as `flagNames` sorts them. */
export const FLAG_NAMES: readonly string[] = [
  ...new Set([...VALIDATION_FLAGS, ...HEAD_END_FLAGS.map((f) => f.toLowerCase())]),
].sort();
const FLAG_BIT = new Map(FLAG_NAMES.map((name, i) => [name, 1 << (i + 4)]));

export interface ReadingMarks {
  readonly quality: Quality;
  readonly flags: readonly string[];
  readonly dataStatus?: DataStatus | undefined;
}

/**
 * The `q` value of a reading, and the flags it cannot hold (none from the pipeline; kept in
 * a string field so that they stay exact). Never throws.
 */
export function encodeReadingMarks(marks: ReadingMarks): { q: number; otherFlags: string[] } {
  let q = QUALITIES.indexOf(marks.quality) | (STATUSES.indexOf(marks.dataStatus) << 2);
  const otherFlags: string[] = [];
  for (const flag of marks.flags) {
    const bit = FLAG_BIT.get(flag);
    if (bit === undefined) otherFlags.push(flag);
    else q |= bit;
  }
  return { q, otherFlags };
}

/** The marks a `q` value (0 when absent) and an optional `flags` string field stand for. */
export function decodeReadingMarks(q: number, otherFlags = ''): ReadingMarks {
  const flags: string[] = [];
  FLAG_NAMES.forEach((name, i) => {
    if (q & (1 << (i + 4))) flags.push(name);
  });
  if (otherFlags !== '') flags.push(...otherFlags.split(','));
  const dataStatus = STATUSES[(q >> 2) & 3];
  return {
    quality: QUALITIES[q & 3] ?? 'measured',
    flags: otherFlags === '' ? flags : flags.sort(),
    ...(dataStatus === undefined ? {} : { dataStatus }),
  };
}

import { createHash } from 'node:crypto';
import type { IntervalBatch, StoredReadingBatch } from '@lukema/core';
import type { ConsumedMessage, WindowClaim } from '@lukema/platform';
import type { BatchSource } from './batch-mapper.js';

/** A push's window (series and span) and a digest of the values it carries. */
export function pushWindow(batch: IntervalBatch): { id: string; startMs: number; digest: string } {
  // Hash in start order, so the same values sent in another order are not a correction;
  // head-ends send in order, so the copy and sort are skipped then.
  let intervals = batch.intervals;
  for (let k = 1; k < intervals.length; k++) {
    if ((intervals[k]?.startMs ?? 0) < (intervals[k - 1]?.startMs ?? 0)) {
      intervals = [...intervals].sort((a, b) => a.startMs - b.startMs);
      break;
    }
  }
  // Start and value of each interval as doubles (null as NaN), flags as text when any.
  const numbers = new Float64Array(intervals.length * 2);
  let flags = '';
  for (let k = 0; k < intervals.length; k++) {
    const i = intervals[k] as (typeof intervals)[number];
    numbers[2 * k] = i.startMs;
    numbers[2 * k + 1] = i.quantityWh ?? Number.NaN;
    if (i.flags.length > 0) flags += `${k}:${i.flags.join('+')},`;
  }
  const hash = createHash('sha1').update(new Uint8Array(numbers.buffer));
  if (flags !== '') hash.update(flags);
  const startMs = intervals[0]?.startMs ?? 0;
  const endMs = intervals.at(-1)?.startMs ?? 0;
  return {
    id: `${batch.meteringPointId}|${batch.direction}|${batch.resolution}|${startMs}|${endMs}`,
    startMs,
    digest: hash.digest('base64'),
  };
}

/**
 * One claim per push window of a batch: its newest revision, owned by the message that
 * carries it (by source coordinates, so a batch read again claims as the same owner).
 */
export function windowClaims(
  decoded: ReadonlyArray<{
    readonly message: ConsumedMessage;
    readonly batch: IntervalBatch | StoredReadingBatch;
  }>,
  /** Each batch's push window; undefined for a batch that has none (stored readings). */
  windows: ReadonlyArray<{ id: string; startMs: number } | undefined>,
  source: BatchSource | undefined,
): Map<string, WindowClaim> {
  const claims = new Map<string, WindowClaim>();
  decoded.forEach(({ message, batch }, i) => {
    const window = windows[i];
    if (!window) return;
    const known = claims.get(window.id);
    if (known && known.rev >= batch.sentAtMs) return;
    claims.set(window.id, {
      id: window.id,
      startMs: window.startMs,
      rev: batch.sentAtMs,
      owner: `${source ? `${source.topic}/${source.partition}` : 'batch'}/${message.offset}`,
    });
  });
  return claims;
}

import * as crypto from 'node:crypto';
import type { IntervalBatch, StoredReadingBatch } from '@lukema/core';
import type { ConsumedMessage, WindowClaim } from '@lukema/platform';
import type { BatchSource } from './batch-mapper.js';

/** Reused for every push's digest input (the worker maps one batch at a time per call). */
let scratch = new Float64Array(256);
/** Node's one-shot hash (20.12+): a push's digest without a Hash object per push. */
const oneShotHash = (crypto as { hash?: typeof crypto.hash }).hash;

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
  if (scratch.length < intervals.length * 2) scratch = new Float64Array(intervals.length * 4);
  let flags = '';
  for (let k = 0; k < intervals.length; k++) {
    const i = intervals[k] as (typeof intervals)[number];
    scratch[2 * k] = i.startMs;
    scratch[2 * k + 1] = i.quantityWh ?? Number.NaN;
    if (i.flags.length > 0) flags += `${k}:${i.flags.join('+')},`;
  }
  const numbers = new Uint8Array(scratch.buffer, 0, intervals.length * 16);
  const digest =
    flags === '' && oneShotHash
      ? oneShotHash('sha1', numbers, 'base64')
      : crypto.createHash('sha1').update(numbers).update(flags).digest('base64');
  const startMs = intervals[0]?.startMs ?? 0;
  const endMs = intervals.at(-1)?.startMs ?? 0;
  return {
    id: `${batch.meteringPointId}|${batch.direction}|${batch.resolution}|${startMs}|${endMs}`,
    startMs,
    digest,
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

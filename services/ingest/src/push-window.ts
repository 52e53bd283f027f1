import * as crypto from 'node:crypto';
import {
  type IntervalBatch,
  pushWindowId,
  revisionRuns,
  type StoredReadingBatch,
} from '@lukema/core';
import type { ConsumedMessage, WindowClaim } from '@lukema/platform';
import type { BatchSource } from './batch-mapper.js';

/** Reused for every push's digest input (the worker maps one batch at a time per call). */
let scratch = new Float64Array(256);
/** Node's one-shot hash (20.12+): a push's digest without a Hash object per push. */
const oneShotHash = (crypto as { hash?: typeof crypto.hash }).hash;

/** A push's window (series and span) and a digest of the values it carries. */
export function pushWindow(batch: IntervalBatch): {
  id: string;
  startMs: number;
  endMs: number;
  digest: string;
} {
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
    id: pushWindowId(batch.meteringPointId, batch.direction, batch.resolution, startMs, endMs),
    startMs,
    endMs,
    digest,
  };
}

/** A window a batch writes, with the revision it writes it with: what the revision rule judges. */
export interface GatedWindow {
  readonly id: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly rev: number;
}

/**
 * The windows a batch writes: a push its one window at its `sentAt`; stored readings
 * (re-released by the registry) each run of one revision, at that revision, under the id
 * of the push window that wrote it (see `revisionRuns`).
 */
export function gatedWindows(
  batch: IntervalBatch | StoredReadingBatch,
  window: { id: string; startMs: number; endMs: number } | undefined,
): GatedWindow[] {
  if ('readings' in batch) {
    return revisionRuns(batch.readings).map((run) => ({
      id: pushWindowId(
        batch.meteringPointId,
        batch.direction,
        batch.resolution,
        run.startMs,
        run.endMs,
      ),
      startMs: run.startMs,
      endMs: run.endMs,
      rev: run.rev,
    }));
  }
  if (!window) return [];
  return [{ id: window.id, startMs: window.startMs, endMs: window.endMs, rev: batch.sentAtMs }];
}

/**
 * One claim per window the batch writes: its newest revision, owned by the message that
 * carries it (by source coordinates, so a batch read again claims as the same owner).
 */
export function windowClaims(
  messages: ReadonlyArray<{ readonly message: ConsumedMessage }>,
  /** Each message's windows (`gatedWindows`). */
  windows: ReadonlyArray<readonly GatedWindow[]>,
  source: BatchSource | undefined,
): Map<string, WindowClaim> {
  const claims = new Map<string, WindowClaim>();
  messages.forEach(({ message }, i) => {
    for (const window of windows[i] ?? []) {
      const known = claims.get(window.id);
      if (known && known.rev >= window.rev) continue;
      claims.set(window.id, {
        id: window.id,
        startMs: window.startMs,
        rev: window.rev,
        owner: `${source ? `${source.topic}/${source.partition}` : 'batch'}/${message.offset}`,
      });
    }
  });
  return claims;
}

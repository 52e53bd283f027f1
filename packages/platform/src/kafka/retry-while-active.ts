import { LukemaError } from '@lukema/core';
import type { Logger } from '../logger.js';
import type { BatchControl } from './ports.js';

/** Thrown to give up a batch without committing when the partition is no longer ours. */
export class BatchAbandonedError extends LukemaError {
  constructor() {
    super('batch abandoned: consumer stopping or partition revoked', { retriable: true });
  }
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs = 250, capMs = 15_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * The longest a backoff goes without a heartbeat: well within the group's session timeout
 * (10 s). kafkajs heartbeats only when asked to; a worker that waited longer (the backoff
 * reaches 15 s) was dropped from the group while it still held its batch, and went on
 * writing it after the partition's next owner had read on.
 */
export const HEARTBEAT_EVERY_MS = 2_000;

/** Waits `ms`, heartbeating at least every HEARTBEAT_EVERY_MS; abandons once the partition is not ours. */
async function waitHeartbeating(ms: number, control: BatchControl): Promise<void> {
  for (let left = ms; left > 0; left -= HEARTBEAT_EVERY_MS) {
    await new Promise((r) => setTimeout(r, Math.min(left, HEARTBEAT_EVERY_MS)));
    if (!control.isActive()) throw new BatchAbandonedError();
    // A refused heartbeat (the member was dropped, a rebalance began) makes isActive false.
    await control.heartbeat().catch(() => undefined);
    if (!control.isActive()) throw new BatchAbandonedError();
  }
}

/**
 * Runs `fn`, retrying retriable failures (an engine down) with backoff for as long as the
 * batch's partition is ours. While it waits, consumption of that partition is paused (no
 * new fetch), nothing is committed, and the group membership is kept alive.
 * @throws BatchAbandonedError when the consumer stops or the partition is revoked.
 * @throws the original error when it is not retriable.
 */
export async function retryWhileActive<T>(
  what: string,
  control: BatchControl,
  log: Logger,
  fn: () => Promise<T>,
  onRetry: () => void = () => undefined,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (
        !(error instanceof LukemaError && error.retriable) ||
        error instanceof BatchAbandonedError
      ) {
        throw error;
      }
      onRetry();
      const wait = backoffMs(attempt);
      log.warn({ err: error, what, attempt, waitMs: wait }, 'retriable failure, backing off');
      await waitHeartbeating(wait, control);
    }
  }
}

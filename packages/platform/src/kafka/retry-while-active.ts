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
 * Runs `fn`, retrying retriable failures (an engine down) with backoff for as long as the
 * batch's partition is ours. While it waits, consumption of that partition is paused (no
 * new fetch) and nothing is committed.
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
      await new Promise((r) => setTimeout(r, wait));
      if (!control.isActive()) throw new BatchAbandonedError();
      await control.heartbeat().catch(() => undefined);
    }
  }
}

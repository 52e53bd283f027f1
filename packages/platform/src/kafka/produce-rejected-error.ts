import { type ErrorContext, LukemaError } from '@lukema/core';

/**
 * Thrown when Kafka refuses a produce request for a reason that retrying cannot fix (a
 * message larger than the broker accepts, a topic that does not exist, no authorization).
 * Not retriable: the batch is not committed and the consumer's crash handling takes over.
 */
export class ProduceRejectedError extends LukemaError {
  constructor(options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('Kafka refused the produce request', { ...options, retriable: false });
  }
}

/**
 * Whether a kafkajs error can pass by retrying: its deepest cause says so (kafkajs wraps a
 * retriable error that ran out of retries in a non-retriable one, and judges by the cause
 * the same way when it decides to restart a consumer).
 */
export function kafkaErrorRetriable(error: unknown): boolean {
  let deepest = error;
  for (let depth = 0; depth < 10; depth++) {
    const cause = (deepest as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    deepest = cause;
  }
  return (deepest as { retriable?: unknown } | null)?.retriable !== false;
}

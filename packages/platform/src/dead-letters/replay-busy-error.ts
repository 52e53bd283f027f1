import { LukemaError } from '@lukema/core';

/**
 * Thrown when a replay of the same dead-letter topic is running already (from the CLI, the
 * console or another API instance): nothing was done; retriable once that one ends.
 */
export class ReplayBusyError extends LukemaError {
  readonly statusCode = 409;
  /** Safe to show: it names no engine detail and no personal data. */
  readonly expose = true;

  constructor(topic: string) {
    super('a replay of these dead letters is running; try again when it ends', {
      retriable: true,
      context: { topic },
    });
  }
}

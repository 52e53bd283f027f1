import { type ErrorContext, LukemaError } from '@lukema/core';

/**
 * Thrown when InfluxDB refuses a write for a reason that retrying cannot fix (HTTP 400:
 * unparsable line, field type conflict). Not retriable.
 */
export class WriteRejectedError extends LukemaError {
  constructor(
    readonly status: number,
    /** InfluxDB's reply as sent (may quote the refused line: not for logs as it is). */
    readonly detail: string,
    options: { cause?: unknown; context?: ErrorContext } = {},
  ) {
    super(`InfluxDB refused the write (HTTP ${status}): ${detail}`, {
      ...options,
      retriable: false,
    });
  }
}

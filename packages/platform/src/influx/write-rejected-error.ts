import { type ErrorContext, LukemaError } from '@lukema/core';

/**
 * Thrown when InfluxDB refuses a write for a reason that retrying cannot fix (HTTP 400:
 * unparsable line, field type conflict). Not retriable.
 */
export class WriteRejectedError extends LukemaError {
  constructor(
    readonly status: number,
    detail: string,
    options: { cause?: unknown; context?: ErrorContext } = {},
  ) {
    super(`InfluxDB refused the write (HTTP ${status}): ${detail}`, {
      ...options,
      retriable: false,
    });
  }
}

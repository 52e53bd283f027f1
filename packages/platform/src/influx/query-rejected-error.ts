import { type ErrorContext, LukemaError } from '@lukema/core';

/**
 * Thrown when InfluxDB refuses a query for a reason that retrying cannot fix (HTTP 4xx:
 * a range it cannot serve, a token without read access). Not retriable. InfluxDB's own
 * text is kept out of the message (it quotes the query, which carries request values), so
 * logging the message never writes it to a log; it stays on `engineMessage` for debugging.
 */
export class QueryRejectedError extends LukemaError {
  readonly engineMessage: string;

  constructor(
    readonly status: number,
    engineMessage: string,
    options: { cause?: unknown; context?: ErrorContext } = {},
  ) {
    super(`InfluxDB refused the query (HTTP ${status})`, { ...options, retriable: false });
    // Not enumerable: a logger serializing the error does not pick it up.
    this.engineMessage = engineMessage;
    Object.defineProperty(this, 'engineMessage', { enumerable: false });
  }
}

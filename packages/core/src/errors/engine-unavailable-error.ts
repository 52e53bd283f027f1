import { type ErrorContext, LukemaError } from './lukema-error.js';

/**
 * Thrown when an engine (InfluxDB, Redis, Kafka) cannot be reached or answers with a
 * server error. Retriable: the consumer pauses, backs off and does not commit.
 */
export class EngineUnavailableError extends LukemaError {
  readonly engine: string;

  constructor(engine: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super(`${engine} is unavailable`, { ...options, retriable: true });
    this.engine = engine;
  }
}

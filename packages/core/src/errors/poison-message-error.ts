import { type ErrorContext, LukemaError } from './lukema-error.js';

/**
 * Thrown when a message can never be processed as it is (undecodable, unknown schema,
 * unattributable). Not retriable: the message goes to the dead-letter topic with `reason`.
 */
export class PoisonMessageError extends LukemaError {
  readonly reason: string;

  constructor(reason: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super(reason, { ...options, retriable: false });
    this.reason = reason;
  }
}

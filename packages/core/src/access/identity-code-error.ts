import { type ErrorContext, LukemaError } from '../errors/lukema-error.js';

/**
 * Thrown when a personal identity code (henkilötunnus) is not valid. Not retriable: the
 * same code will fail again. The message is the reason only and never contains the code.
 */
export class IdentityCodeError extends LukemaError {
  readonly reason: string;

  constructor(reason: string, options: { context?: ErrorContext } = {}) {
    super(reason, { ...options, retriable: false });
    this.reason = reason;
  }
}

import { LukemaError } from '../errors/lukema-error.js';

/**
 * Thrown by parsePrivacyPolicy when the policy text is not valid JSON or lacks a field the
 * access answer needs. Not retriable: the policy file has to be fixed. `field` is the path
 * of the offending field, e.g. `purposes[2].legalBasis` (`$` for the whole document).
 */
export class PrivacyPolicyError extends LukemaError {
  readonly field: string;

  constructor(field: string, problem: string, options: { cause?: unknown } = {}) {
    super(`privacy policy: ${field} ${problem}`, {
      ...options,
      retriable: false,
      context: { field },
    });
    this.field = field;
  }
}

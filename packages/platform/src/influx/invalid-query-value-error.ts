import { type ErrorContext, LukemaError } from '@lukema/core';

/**
 * Thrown before a query is built when a value meant for it is not of its documented shape
 * (a pseudonym that is not 32 hex digits, an area that is not `NNNxx`, a time outside
 * 1970–2199). Not retriable. The message names the parameter, never the value.
 */
export class InvalidQueryValueError extends LukemaError {
  constructor(
    readonly parameter: string,
    expected: string,
    options: { context?: ErrorContext } = {},
  ) {
    super(`${parameter} must be ${expected}`, { ...options, retriable: false });
  }
}

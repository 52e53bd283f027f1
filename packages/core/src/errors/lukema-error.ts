export interface ErrorContext {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
  readonly [key: string]: unknown;
}

/**
 * The root of Lukema's errors. `retriable` tells the caller whether trying the same thing
 * again can help (an engine that is down) or not (a message that can never be processed).
 * Messages and context never carry personal data.
 */
export class LukemaError extends Error {
  readonly retriable: boolean;
  readonly context: ErrorContext;

  constructor(
    message: string,
    options: { retriable: boolean; cause?: unknown; context?: ErrorContext },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable;
    this.context = options.context ?? {};
  }
}

import { LukemaError } from '@lukema/core';

/**
 * Thrown by a revision gate when a push window is still being written by another worker:
 * retriable, the batch waits (without committing) until that write is done.
 */
export class WindowBusyError extends LukemaError {
  constructor(readonly windows: number) {
    super(`${windows} push window(s) still being written by another worker`, {
      retriable: true,
      context: { windows },
    });
  }
}

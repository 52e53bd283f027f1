import { type ErrorContext, LukemaError } from '@lukema/core';

/**
 * Thrown when a series asked for (an export's) still has points in an earlier storage
 * layout, which the readers do not read: answering would leave them out. Not retriable
 * until `migrate-layout` has rewritten the range. The message names no series.
 */
export class UnmigratedLayoutError extends LukemaError {
  constructor(options: { context?: ErrorContext } = {}) {
    super(
      'readings of this series are still stored in an earlier layout, which an export would leave out: run `npm run migrate-layout -w @lukema/registry -- --from … --to …` over the stored range first',
      { ...options, retriable: false },
    );
  }
}

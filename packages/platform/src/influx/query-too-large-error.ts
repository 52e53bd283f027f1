import { LukemaError } from '@lukema/core';

/**
 * Thrown when a query would return more rows than the reader may hold (the analysts'
 * per-series reads: a year of hours for every customer of a coarse area is ~90 M rows).
 * The request's fault and not retriable: a shorter range, a coarser period or the
 * per-area level answers it.
 */
export class QueryTooLargeError extends LukemaError {
  constructor(readonly maxRows: number) {
    super(`the query reads more than ${maxRows} per-series rows`, { retriable: false });
  }
}

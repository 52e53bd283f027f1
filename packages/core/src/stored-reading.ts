/**
 * Readings Lukema has already validated and stored, as a rectification parks them when
 * they no longer belong to anyone. Released to a new owner, they are written as they were
 * (value, quality, flags, revision, Datahub status), never validated again: validation
 * depends on the push they came in, which a parked batch no longer is.
 */
import type { PushHeader } from './reading.js';
import type { ValidatedInterval } from './validation/validate-batch.js';

/** A stored reading with the revision (the `sentAt` of the push) that wrote it. */
export interface StoredInterval extends ValidatedInterval {
  readonly revision: number;
}

/** Stored readings of one metering point and series, moved as one message. */
export interface StoredReadingBatch extends PushHeader {
  readonly readings: readonly StoredInterval[];
}

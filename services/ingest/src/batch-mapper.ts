import type { ConsumedMessage } from '@lukema/platform';

/** A part of a message that cannot be stored, with the reason (goes to the dead letters). */
export interface Rejection {
  readonly message: ConsumedMessage;
  readonly reason: string;
  readonly errorType: string;
  /** Interval indexes concerned, when only part of the message is rejected. */
  readonly intervals?: readonly number[];
}

/** What a batch of consumed messages becomes before anything is written. */
export interface MappedBatch {
  /** Line protocol for the readings bucket. */
  readonly lines: string[];
  readonly rejections: Rejection[];
  /** Readings counted per outcome, for progress and metrics. */
  readonly readings: number;
}

/**
 * Turns consumed messages into line protocol and rejections. Implementations never throw
 * for a bad message (that is a rejection); they throw only retriable errors (an engine
 * they need is down), in which case nothing of the batch is committed.
 */
export interface BatchMapper {
  map(messages: readonly ConsumedMessage[]): Promise<MappedBatch>;
}

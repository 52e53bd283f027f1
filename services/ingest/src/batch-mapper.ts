import type { LineChunk } from '@lukema/core';
import type { ConsumedMessage } from '@lukema/platform';

/** A part of a message that cannot be stored, with the reason (goes to the dead letters). */
export interface Rejection {
  readonly message: ConsumedMessage;
  readonly reason: string;
  readonly errorType: string;
  /** Start times (epoch ms) of the intervals concerned, when only part of it is rejected. */
  readonly intervals?: readonly number[];
}

/** The topic and partition a batch was read from. */
export interface BatchSource {
  readonly topic: string;
  readonly partition: number;
}

/**
 * A write-sized chunk and the messages its lines came from, in order: `sources[k]` wrote the
 * bytes up to `marks[k]` (see `LineBuffer.mark`). A line InfluxDB refuses is traced back
 * to its message this way.
 */
export interface SourcedChunk extends LineChunk {
  readonly sources: readonly ConsumedMessage[];
}

/** What a batch of consumed messages becomes before anything is written. */
export interface MappedBatch {
  /** Line protocol for the readings bucket, in write-sized chunks (those not emitted). */
  readonly chunks: readonly SourcedChunk[];
  readonly rejections: Rejection[];
  /** Readings in the batch (interval values decoded). */
  readonly readings: number;
  /**
   * For each message with readings in `lines`, the start of its oldest one (epoch ms): when
   * InfluxDB still drops points as outside retention, the messages with readings before its
   * bound are set aside in the dead letters.
   */
  readonly oldestWritten?: ReadonlyArray<{
    readonly message: ConsumedMessage;
    readonly startMs: number;
  }>;
  /** Readings parked until their contract assignment arrives. */
  readonly parked?: number;
  /** Readings the revision rule left out: a newer revision of their window stands. */
  readonly superseded?: number;
  /**
   * Work that must be durable before the batch is committed but only after its points are
   * (parking, register state): the worker runs it after the writes, retrying if retriable.
   */
  readonly beforeCommit?: () => Promise<void>;
}

/**
 * Turns consumed messages into line protocol and rejections. Implementations never throw
 * for a bad message (that is a rejection); they throw only retriable errors (an engine
 * they need is down), in which case nothing of the batch is committed.
 */
export interface BatchMapper {
  /**
   * @param source where the messages were read (keys parking per source message)
   * @param emit receives chunks while the batch is still being mapped, so they can be
   * written meanwhile; what it did not receive is in the result's `chunks`.
   */
  map(
    messages: readonly ConsumedMessage[],
    emit?: (chunk: SourcedChunk) => void,
    source?: BatchSource,
  ): Promise<MappedBatch>;
}

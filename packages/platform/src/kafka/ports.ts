/**
 * The narrow Kafka port: only what Lukema's services call. One adapter implements it
 * (kafkajs-adapter.ts), so another client can replace kafkajs in one file.
 */

export interface KafkaHeaders {
  readonly [key: string]: string;
}

export interface ConsumedMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: KafkaHeaders;
  /** Broker or producer timestamp, epoch ms. */
  readonly timestampMs: number;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
  /** The partition's end offset when the batch was fetched (for lag), when the client says. */
  readonly highWatermark?: string;
}

/** What a batch handler may do while it works on a batch. */
export interface BatchControl {
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was revoked. */
  isActive(): boolean;
  /** Commits `nextOffset` (last processed + 1) for this batch's partition. */
  commit(nextOffset: string): Promise<void>;
}

export type BatchHandler = (batch: ConsumedBatch, control: BatchControl) => Promise<void>;

export interface BatchConsumer {
  /** Joins the group and runs `handler` for each fetched batch until stop(). */
  run(handler: BatchHandler): Promise<void>;
  stop(): Promise<void>;
}

export interface OutgoingMessage {
  readonly key: string | Buffer | null;
  readonly value: Buffer | string | null;
  readonly headers?: KafkaHeaders;
}

export interface SendOptions {
  /**
   * Gzip the records (the broker's size limit applies to what it receives): for what is
   * sent again as it came, dead letters and re-queued parked pushes, which a head-end may
   * have compressed on the readings topic.
   */
  readonly compress?: boolean;
}

export interface MessageProducer {
  /** Resolves once every message is acknowledged by the broker (acks=all). */
  send(topic: string, messages: readonly OutgoingMessage[], options?: SendOptions): Promise<void>;
  close(): Promise<void>;
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly config?: Readonly<Record<string, string>>;
}

/** Reads a (compacted) topic from the start to its current end: the latest value per key. */
export interface TopicSnapshotReader {
  /** Latest value per key; null for a key whose latest record is a tombstone. */
  snapshot(topic: string): Promise<Map<string, Buffer | null>>;
}

/** A partition's offsets now: the earliest kept and the end (high watermark). */
export interface PartitionBounds {
  readonly low: bigint;
  readonly high: bigint;
}

/**
 * Reads given offset ranges of a topic without joining a consumer group (one-shot jobs
 * such as the dead-letter replay), and keeps such a job's progress as a group's offsets.
 */
export interface TopicRangeReader {
  bounds(topic: string): Promise<Map<number, PartitionBounds>>;
  /**
   * Hands each partition's messages in [from, to) to `onBatch`, batch by batch in offset
   * order, and resolves once every partition reached its `to` (or what is left of the
   * range was removed by retention). A failing `onBatch` stops the read and rejects.
   */
  read(
    topic: string,
    ranges: ReadonlyMap<number, { readonly from: bigint; readonly to: bigint }>,
    onBatch: (batch: ConsumedBatch) => Promise<void>,
  ): Promise<void>;
  /** Offsets a group committed on a topic (partitions it never committed are absent). */
  committed(group: string, topic: string): Promise<Map<number, bigint>>;
  /** Commits offsets for a group with no running member. */
  commit(group: string, topic: string, offsets: ReadonlyMap<number, bigint>): Promise<void>;
  close(): Promise<void>;
}

export interface TopicAdmin {
  /** Creates the topics that do not exist yet; leaves existing ones as they are. */
  ensureTopics(specs: readonly TopicSpec[]): Promise<string[]>;
  /**
   * Sets each existing topic's configuration to its spec's where a value differs (e.g. a
   * retention that the policy changed); returns the topics altered. The spec is the whole
   * configuration: an override it does not name is reset to the broker default.
   */
  alignTopicConfigs(specs: readonly TopicSpec[]): Promise<string[]>;
  /** The current value of each named configuration entry of a topic. */
  topicConfig(topic: string, names: readonly string[]): Promise<Record<string, string>>;
  /** End offset (high watermark) per partition. */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  /** Sum over partitions of (end offset - committed offset) for a group. */
  lag(group: string, topic: string): Promise<number>;
  /** Per partition: end offset - committed offset (from the earliest when none is committed). */
  partitionLag(group: string, topic: string): Promise<Map<number, number>>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  /** Moves a group's committed offsets on a topic back to the earliest (rebuilds). */
  resetToEarliest(group: string, topic: string): Promise<void>;
  close(): Promise<void>;
}

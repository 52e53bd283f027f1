import { EngineUnavailableError } from '@lukema/core';
import {
  type Admin,
  CompressionTypes,
  type ConfigResourceTypes,
  type Consumer,
  Kafka,
  logLevel as KafkaLogLevel,
  type LogEntry,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { Logger } from '../logger.js';
import { kafkajsLogLevel } from './kafkajs-log.js';
import type {
  BatchConsumer,
  BatchHandler,
  KafkaHeaders,
  MessageProducer,
  OutgoingMessage,
  SendOptions,
  TopicAdmin,
  TopicSnapshotReader,
  TopicSpec,
} from './ports.js';
import { kafkaErrorRetriable, ProduceRejectedError } from './produce-rejected-error.js';
import { MAX_REQUEST_BYTES, requestBatches } from './request-batches.js';
import { backoffMs } from './retry-while-active.js';

export interface KafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

function pinoLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const mapped = kafkajsLogLevel(level, extra);
      logger[mapped.level](
        mapped.retried ? { kafka: extra, retried: true } : { kafka: extra },
        message,
      );
    };
}

export function createKafka(options: KafkaOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: KafkaLogLevel.WARN,
    logCreator: pinoLogCreator(options.logger.child({ component: 'kafkajs' })),
    retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
  });
}

/** kafkajs's ConfigResourceTypes.TOPIC; the enum is not a named export under ESM. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
/** DescribeConfigs' config source of a topic's own override (DYNAMIC_TOPIC_CONFIG). */
const TOPIC_CONFIG_SOURCE = 1;

function toHeaders(raw: Record<string, unknown> | undefined): KafkaHeaders {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (value !== undefined) out[key] = String(value);
  }
  return out;
}

export interface KafkajsBatchConsumerOptions {
  readonly group: string;
  readonly topics: readonly string[];
  readonly partitionsConcurrently: number;
  readonly fromBeginning: boolean;
  /** For crashes and restarts; kafkajs's own log goes through the Kafka client's logger. */
  readonly logger?: Logger;
  /** Restarts after a crash kafkajs does not recover from itself. */
  readonly restart?: Partial<ConsumerRestartPolicy>;
  /**
   * Called once the restarts are used up: the consumer is down for good and the service
   * should exit non-zero, so that its supervisor notices and starts it again. Without it
   * the failure is only logged (tests, tools).
   */
  readonly onFatal?: (error: Error) => void;
  /**
   * Bytes a fetch takes per partition (default 1 MiB; a fetch at most four times that): a
   * batch is mapped whole, so this bounds what is decoded and held at once.
   */
  readonly fetchBytesPerPartition?: number;
}

/**
 * A crashed consumer comes back after a backoff; crashing `maxRestarts` times in a row,
 * with no batch handled in between, is fatal (a poison the service cannot get past).
 */
export interface ConsumerRestartPolicy {
  readonly maxRestarts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: ConsumerRestartPolicy = {
  maxRestarts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** Group coordinator answers that mean this member's partitions may be someone else's now. */
const MEMBER_GONE = new Set([
  'REBALANCE_IN_PROGRESS',
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'FENCED_INSTANCE_ID',
]);

/**
 * True for a heartbeat refused because the member was dropped from the group or a
 * rebalance began: its batch must not be written on or committed (the partition's next
 * owner reads it again from the last commit).
 */
export function memberGone(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && MEMBER_GONE.has(type);
}

export class KafkajsBatchConsumer implements BatchConsumer {
  private consumer: Consumer | undefined;
  private handler: BatchHandler | undefined;
  private stopping = false;
  /** Crashes since the last batch handled. */
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartCount = 0;
  private readonly policy: ConsumerRestartPolicy;
  /** The connect and subscribe in progress: a stop during start-up waits for it. */
  private joining: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkajsBatchConsumerOptions,
  ) {
    this.policy = { ...DEFAULT_RESTART_POLICY, ...options.restart };
  }

  /** Consumer-group crashes this consumer restarted from (kafkajs's own restarts aside). */
  get restarts(): number {
    return this.restartCount;
  }

  private create(): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.options.group,
      // Bounded fetches bound the worker's memory (and its GC time): a batch is mapped whole.
      maxBytesPerPartition: this.options.fetchBytesPerPartition ?? 1024 * 1024,
      maxBytes: 4 * (this.options.fetchBytesPerPartition ?? 1024 * 1024),
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
      // A stop waits for the fetch in flight: keep the long poll short.
      maxWaitTimeInMs: 1_000,
    });
    // kafkajs restarts a consumer only after an error it deems retriable; after any other
    // (a bug, a refusal nobody foresaw) it disconnects and leaves the process idle.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.crashed(payload.error);
    });
    return consumer;
  }

  async run(handler: BatchHandler): Promise<void> {
    this.handler = handler;
    this.stopping = false;
    await this.startConsumer();
  }

  private async startConsumer(): Promise<void> {
    const handler = this.handler;
    if (!handler) return;
    const consumer = this.create();
    this.consumer = consumer;
    this.joining = (async () => {
      await consumer.connect();
      await consumer.subscribe({
        topics: [...this.options.topics],
        fromBeginning: this.options.fromBeginning,
      });
    })();
    await this.joining;
    if (this.stopping) return;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (batch.messages.length === 0) return;
        /** The group told this member it no longer holds its partitions (see memberGone). */
        let gone = false;
        await handler(
          {
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: batch.highWatermark,
            messages: batch.messages.map((m) => ({
              offset: m.offset,
              key: m.key,
              value: m.value,
              headers: toHeaders(m.headers),
              timestampMs: Number(m.timestamp),
            })),
          },
          {
            heartbeat: async () => {
              try {
                await heartbeat();
              } catch (error) {
                if (memberGone(error)) gone = true;
                throw error;
              }
            },
            isActive: () => !gone && isRunning() && !isStale(),
            commit: async (nextOffset) => {
              // resolveOffset moves kafkajs's fetch position; commitOffsets makes it durable.
              resolveOffset((BigInt(nextOffset) - 1n).toString());
              await consumer.commitOffsets([
                { topic: batch.topic, partition: batch.partition, offset: nextOffset },
              ]);
            },
          },
        );
        this.crashes = 0;
      },
    });
  }

  /** After a crash kafkajs gave up on (it has disconnected): restart with backoff, or give up. */
  private crashed(error: Error): void {
    if (this.stopping) return;
    const log = this.options.logger;
    this.crashes++;
    if (this.crashes > this.policy.maxRestarts) {
      log?.fatal(
        { err: error, group: this.options.group, crashes: this.crashes },
        'consumer crashed too often in a row: giving up',
      );
      this.options.onFatal?.(error);
      return;
    }
    const waitMs = backoffMs(this.crashes - 1, this.policy.baseDelayMs, this.policy.maxDelayMs);
    log?.error(
      { err: error, group: this.options.group, crashes: this.crashes, waitMs },
      'consumer crashed: restarting',
    );
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.restartCount++;
      this.startConsumer().catch((e: unknown) => {
        void this.consumer?.disconnect().catch(() => undefined);
        this.crashed(e instanceof Error ? e : new Error(String(e)));
      });
    }, waitMs);
  }

  async stop(): Promise<void> {
    // A stop during start-up (a process told to stop as it starts) waits for the connect in
    // progress, which would otherwise finish after the disconnect and keep consuming.
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.joining?.catch(() => undefined);
    await this.consumer?.disconnect();
  }
}

export class KafkajsProducer implements MessageProducer {
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;

  /** @param maxRequestBytes what one produce request may carry (tests use less). */
  constructor(
    kafka: Kafka,
    private readonly maxRequestBytes = MAX_REQUEST_BYTES,
  ) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /**
   * Sends in requests the broker accepts (see `requestBatches`), one after another, so the
   * order is kept; resolves once all are acknowledged.
   * @throws EngineUnavailableError when Kafka cannot take them now (retriable).
   * @throws ProduceRejectedError when Kafka refuses them for good (too large, no topic).
   */
  async send(
    topic: string,
    messages: readonly OutgoingMessage[],
    options: SendOptions = {},
  ): Promise<void> {
    if (messages.length === 0) return;
    try {
      this.connected ??= this.producer.connect();
      await this.connected;
    } catch (cause) {
      this.connected = null;
      throw new EngineUnavailableError('kafka', { cause, context: { topic } });
    }
    for (const batch of requestBatches(messages, this.maxRequestBytes)) {
      try {
        await this.producer.send({
          topic,
          acks: -1,
          compression: options.compress ? CompressionTypes.GZIP : CompressionTypes.None,
          messages: batch.map((m) => ({
            key: m.key,
            value: m.value,
            ...(m.headers ? { headers: { ...m.headers } } : {}),
          })),
        });
      } catch (cause) {
        const context = { topic, messages: batch.length };
        if (!kafkaErrorRetriable(cause)) throw new ProduceRejectedError({ cause, context });
        throw new EngineUnavailableError('kafka', { cause, context });
      }
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}

/**
 * Admin reads that the broker can answer with a transient error (leadership still settling
 * right after a topic is created: "not the leader for that topic-partition"): tried again a
 * few times, about 6 s in all, before giving up.
 */
export async function retriedAdminRead<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= 6) throw error;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
}

export class KafkajsTopicAdmin implements TopicAdmin {
  private readonly admin: Admin;
  private connected: Promise<void> | null = null;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  private async ready(): Promise<Admin> {
    this.connected ??= this.admin.connect();
    await this.connected;
    return this.admin;
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<string[]> {
    const admin = await this.ready();
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.partitions,
          replicationFactor: 1,
          configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (error) {
      // The broker created the topics but answered kafkajs' wait for their leaders with a
      // race it does not retry ("does not host this topic-partition"): the offset reads below
      // wait for the leaders instead. Anything final is thrown.
      if ((error as { retriable?: boolean }).retriable !== true) throw error;
    }
    // Leaders are elected, but the broker may still refuse offset reads for a moment: a
    // topic is handed out only once its offsets can be read.
    for (const spec of missing) await retriedAdminRead(() => admin.fetchTopicOffsets(spec.topic));
    return missing.map((s) => s.topic);
  }

  async alignTopicConfigs(specs: readonly TopicSpec[]): Promise<string[]> {
    const admin = await this.ready();
    const existing = new Set(await admin.listTopics());
    const altered: string[] = [];
    for (const spec of specs) {
      const wanted = spec.config ?? {};
      const names = Object.keys(wanted);
      if (!existing.has(spec.topic) || names.length === 0) continue;
      const overrides = await this.topicOverrides(spec.topic);
      const same =
        names.every((name) => overrides[name] === wanted[name]) &&
        Object.keys(overrides).every((name) => name in wanted);
      if (same) continue;
      // AlterConfigs (not incremental) replaces the topic's overrides with exactly these.
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: TOPIC_RESOURCE,
            name: spec.topic,
            configEntries: names.map((name) => ({ name, value: String(wanted[name]) })),
          },
        ],
      });
      altered.push(spec.topic);
    }
    return altered;
  }

  async topicConfig(topic: string, names: readonly string[]): Promise<Record<string, string>> {
    const admin = await this.ready();
    const described = await retriedAdminRead(() =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: [...names] }],
      }),
    );
    const entries = described.resources[0]?.configEntries ?? [];
    return Object.fromEntries(entries.map((e) => [e.configName, e.configValue]));
  }

  /** The topic's own configuration overrides (not broker defaults). */
  private async topicOverrides(topic: string): Promise<Record<string, string>> {
    const admin = await this.ready();
    const described = await retriedAdminRead(() =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: TOPIC_RESOURCE, name: topic }],
      }),
    );
    const entries = described.resources[0]?.configEntries ?? [];
    return Object.fromEntries(
      entries
        .filter((e) => (e as { configSource?: number }).configSource === TOPIC_CONFIG_SOURCE)
        .map((e) => [e.configName, e.configValue]),
    );
  }

  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const admin = await this.ready();
    const offsets = await retriedAdminRead(() => admin.fetchTopicOffsets(topic));
    return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  }

  async lag(group: string, topic: string): Promise<number> {
    let lag = 0;
    for (const behind of (await this.partitionLag(group, topic)).values()) lag += behind;
    return lag;
  }

  async partitionLag(group: string, topic: string): Promise<Map<number, number>> {
    const admin = await this.ready();
    const [ends, committed] = await retriedAdminRead(() =>
      Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId: group, topics: [topic] }),
      ]),
    );
    const done = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    return new Map(
      ends.map((p) => {
        const c = done.get(p.partition) ?? -1;
        return [p.partition, Number(p.high) - (c < 0 ? Number(p.low) : c)];
      }),
    );
  }

  async resetToEarliest(group: string, topic: string): Promise<void> {
    const admin = await this.ready();
    const committed = await retriedAdminRead(() =>
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
    );
    const partitions = committed[0]?.partitions ?? [];
    // A group that never committed already starts at the beginning: leave it alone.
    if (partitions.every((p) => Number(p.offset) < 0)) return;
    const ends = await retriedAdminRead(() => admin.fetchTopicOffsets(topic));
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.low })),
    });
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    const admin = await this.ready();
    await admin.deleteTopics({ topics: [...topics] });
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
  }
}

/**
 * Reads a topic to its end without a consumer group: fetches each partition from the low
 * watermark to the high watermark seen at the start. For compacted topics of small records
 * (keys, contracts) that are loaded whole at start.
 */
export class KafkajsSnapshotReader implements TopicSnapshotReader {
  constructor(private readonly kafka: Kafka) {}

  async snapshot(topic: string): Promise<Map<string, Buffer | null>> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await retriedAdminRead(() => admin.fetchTopicOffsets(topic)).finally(() =>
      admin.disconnect(),
    );
    const pending = new Map(
      ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, BigInt(p.high)]),
    );
    const out = new Map<string, Buffer | null>();
    if (pending.size === 0) return out;
    const consumer = this.kafka.consumer({
      groupId: `lukema-snapshot-${process.pid}-${Date.now()}`,
    });
    await consumer.connect();
    try {
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => {
        done = resolve;
      });
      // Compaction can remove a trailing tombstone, so the last offset before the high
      // watermark may never arrive: also finish once fetching stays idle.
      let lastProgress = Date.now() + 12_000; // joining the group may take a while
      const idle = setInterval(() => {
        if (Date.now() - lastProgress > 3000) done();
      }, 500);
      void finished.then(() => clearInterval(idle));
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          lastProgress = Date.now();
          const high = pending.get(batch.partition);
          if (high === undefined) return;
          for (const m of batch.messages) {
            if (BigInt(m.offset) >= high) break;
            if (m.key) out.set(m.key.toString(), m.value);
          }
          const last = batch.messages.at(-1);
          if (last && BigInt(last.offset) + 1n >= high) pending.delete(batch.partition);
          if (pending.size === 0) done();
        },
      });
      await finished;
    } finally {
      await consumer.disconnect();
    }
    return out;
  }
}

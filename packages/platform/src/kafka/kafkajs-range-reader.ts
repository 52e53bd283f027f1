import type { Admin, Kafka } from 'kafkajs';
import { retriedAdminRead } from './kafkajs-adapter.js';
import type { ConsumedBatch, KafkaHeaders, PartitionBounds, TopicRangeReader } from './ports.js';

function toHeaders(raw: Record<string, unknown> | undefined): KafkaHeaders {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (value !== undefined) out[key] = String(value);
  }
  return out;
}

/** How long a read may see no message before it checks whether retention removed the rest. */
const IDLE_CHECK_MS = 5_000;

/**
 * The kafkajs range reader: a consumer under a throw-away group id, seeked to each range's
 * start; the group's offsets are never committed, so nothing is consumed for anyone else.
 */
export class KafkajsRangeReader implements TopicRangeReader {
  private readonly admin: Admin;
  private connected: Promise<void> | null = null;

  constructor(private readonly kafka: Kafka) {
    this.admin = kafka.admin();
  }

  private async ready(): Promise<Admin> {
    this.connected ??= this.admin.connect();
    await this.connected;
    return this.admin;
  }

  async bounds(topic: string): Promise<Map<number, PartitionBounds>> {
    const admin = await this.ready();
    const offsets = await retriedAdminRead(() => admin.fetchTopicOffsets(topic));
    return new Map(offsets.map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
  }

  async committed(group: string, topic: string): Promise<Map<number, bigint>> {
    const admin = await this.ready();
    const [entry] = await retriedAdminRead(() =>
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
    );
    return new Map(
      (entry?.partitions ?? [])
        .filter((p) => Number(p.offset) >= 0)
        .map((p) => [p.partition, BigInt(p.offset)]),
    );
  }

  async commit(group: string, topic: string, offsets: ReadonlyMap<number, bigint>): Promise<void> {
    if (offsets.size === 0) return;
    const admin = await this.ready();
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: [...offsets].map(([partition, offset]) => ({
        partition,
        offset: offset.toString(),
      })),
    });
  }

  async read(
    topic: string,
    ranges: ReadonlyMap<number, { readonly from: bigint; readonly to: bigint }>,
    onBatch: (batch: ConsumedBatch) => Promise<void>,
  ): Promise<void> {
    const bounds = await this.bounds(topic);
    // Offsets before the earliest kept are gone: start there (or skip a range wholly gone).
    const pending = new Map<number, { from: bigint; to: bigint }>();
    for (const [partition, range] of ranges) {
      const low = bounds.get(partition)?.low ?? 0n;
      const from = range.from > low ? range.from : low;
      if (from < range.to) pending.set(partition, { from, to: range.to });
    }
    if (pending.size === 0) return;
    const consumer = this.kafka.consumer({
      groupId: `lukema-range-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    });
    let finish: (error?: unknown) => void = () => undefined;
    let failed = false;
    const finished = new Promise<void>((resolve, reject) => {
      finish = (error) => {
        if (error === undefined) resolve();
        else {
          failed = true;
          reject(error);
        }
      };
    });
    let lastProgress = Date.now() + 15_000; // joining the group may take a while
    const idle = setInterval(() => {
      if (Date.now() - lastProgress < IDLE_CHECK_MS) return;
      lastProgress = Date.now();
      void this.bounds(topic).then((now) => {
        for (const [partition, range] of pending) {
          if ((now.get(partition)?.low ?? 0n) >= range.to) pending.delete(partition);
        }
        if (pending.size === 0) finish();
      }, finish);
    }, 1_000);
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          lastProgress = Date.now();
          const range = pending.get(batch.partition);
          if (!range || failed) return;
          const messages = batch.messages
            .filter((m) => BigInt(m.offset) >= range.from && BigInt(m.offset) < range.to)
            .map((m) => ({
              offset: m.offset,
              key: m.key,
              value: m.value,
              headers: toHeaders(m.headers),
              timestampMs: Number(m.timestamp),
            }));
          try {
            if (messages.length > 0) {
              await onBatch({ topic, partition: batch.partition, messages });
            }
          } catch (error) {
            finish(error);
            return;
          }
          const last = batch.messages.at(-1);
          if (last && BigInt(last.offset) + 1n >= range.to) pending.delete(batch.partition);
          if (pending.size === 0) finish();
        },
      });
      for (const [partition, range] of pending) {
        consumer.seek({ topic, partition, offset: range.from.toString() });
      }
      await finished;
    } finally {
      clearInterval(idle);
      await consumer.disconnect();
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
  }
}

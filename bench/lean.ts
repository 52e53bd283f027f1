import { createHmac, randomBytes } from 'node:crypto';
import { LineBuffer } from '@lukema/core';
import type { Config, InfluxClientAdapter, Logger } from '@lukema/platform';
import { createKafka } from '@lukema/platform';
import { MeterMessageCodec } from '@lukema/schemas';
import { intervalPush } from './naive.js';

/**
 * The lean pipeline on the same topic and engines, as a yardstick of what this
 * machine allows end to end: kafkajs eachBatch (the worker's partitions concurrently), one
 * HMAC pseudonym per metering point, the lean layout (three short tags, `kwh` and an integer
 * `q` on every line), 5,000-line chunks sent as the worker sends them with `maxInFlight`
 * writes in flight, offsets committed after the batch's writes. No validation, attachment to
 * a contract, revision rule, dead letters or parking: everything the product adds is
 * missing, so the product's rate over this one is what those cost here. Consumes the whole
 * topic from a group of its own and returns readings/s (first batch to the last commit).
 */
export async function leanPipeline(
  config: Config,
  logger: Logger,
  influx: InfluxClientAdapter,
  topic: string,
  bucket: string,
  messages: number,
): Promise<number> {
  const codec = new MeterMessageCodec();
  const key = randomBytes(32);
  const pseudonyms = new Map<string, string>();
  const pseudonymOf = (mp: string) => {
    let p = pseudonyms.get(mp);
    if (p === undefined) {
      p = createHmac('sha256', key).update(mp).digest('hex').slice(0, 32);
      pseudonyms.set(mp, p);
    }
    return p;
  };
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const write = async (chunk: ReturnType<LineBuffer['take']>) => {
    while (inFlight >= config.influx.maxInFlight) await new Promise<void>((r) => waiting.push(r));
    inFlight++;
    try {
      await influx.writeChunk(bucket, chunk);
    } finally {
      inFlight--;
      waiting.shift()?.();
    }
  };
  const consumer = createKafka({ ...config.kafka, logger }).consumer({
    groupId: `bench-lean-${Date.now()}`,
    maxBytesPerPartition: config.ingest.fetchBytesPerPartition,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let readings = 0;
  let consumed = 0;
  let t0 = 0;
  let t1 = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: config.ingest.partitionsConcurrently,
      eachBatch: async ({ batch }) => {
        if (t0 === 0) t0 = performance.now();
        const out = new LineBuffer();
        const writes: Promise<void>[] = [];
        for (const message of batch.messages) {
          const b = intervalPush(codec, message.value);
          if (!b) continue;
          const prefix = `energy,d=${b.direction === 'consumption' ? 'c' : 'p'},p=${pseudonymOf(b.meteringPointId)},r=${b.resolution === 'PT15M' ? 15 : 60}`;
          for (const i of b.intervals) {
            const q = i.flags.length === 0 && i.quantityWh !== null ? 0 : 1;
            out.add(prefix, `kwh=${(i.quantityWh ?? 0) / 1000},q=${q}i ${i.startMs}`);
          }
          readings += b.intervals.length;
          out.mark();
          if (out.count >= config.influx.batchLines) writes.push(write(out.take()));
        }
        if (out.count > 0) writes.push(write(out.take()));
        await Promise.all(writes);
        const last = batch.messages.at(-1);
        if (last) {
          await consumer.commitOffsets([
            {
              topic: batch.topic,
              partition: batch.partition,
              offset: (BigInt(last.offset) + 1n).toString(),
            },
          ]);
        }
        consumed += batch.messages.length;
        if (consumed >= messages && t1 === 0) {
          t1 = performance.now();
          resolve();
        }
      },
    });
  });
  await done;
  await consumer.disconnect();
  return readings / ((t1 - t0) / 1000);
}

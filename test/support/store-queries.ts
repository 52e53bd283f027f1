import { type ConsumedMessage, KafkajsBatchConsumer, retriedAdminRead } from '@lukema/platform';
import { storedReadings } from './stored-readings.js';
import type { TestStack } from './test-stack.js';
import { waitFor } from './wait-for.js';

export interface StoredPoint {
  readonly pseudonym: string;
  readonly direction: string;
  readonly timeMs: number;
  readonly quality: string;
  readonly kwh: number | null;
}

/** Every reading point in the test bucket, one row per point (marks decoded). */
export async function storedPoints(stack: TestStack): Promise<StoredPoint[]> {
  return (await storedReadings(stack)).map((r) => ({
    pseudonym: r.pseudonym,
    direction: r.direction,
    timeMs: r.timeMs,
    quality: r.quality,
    kwh: r.kwh,
  }));
}

/** Number of messages in a topic (sum of partition high watermarks). */
export async function topicCount(stack: TestStack, topic: string): Promise<number> {
  const admin = stack.kafka.admin();
  await admin.connect();
  try {
    const offsets = await retriedAdminRead(() => admin.fetchTopicOffsets(topic));
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Every tag value in the test bucket, for checking that no identifier was stored. */
export async function allTagValues(stack: TestStack): Promise<string[]> {
  const bucket = stack.config.influx.buckets.readings;
  const keys = await stack.influx.rows<{ _value: string }>(
    `import "influxdata/influxdb/schema"\nschema.tagKeys(bucket: "${bucket}", start: 0)`,
  );
  const values: string[] = [];
  for (const { _value: key } of keys) {
    const rows = await stack.influx.rows<{ _value: string }>(
      `import "influxdata/influxdb/schema"\nschema.tagValues(bucket: "${bucket}", tag: "${key}", start: 0)`,
    );
    values.push(...rows.map((r) => `${key}=${r._value}`));
  }
  return values;
}

/** Reads every message of a topic (test helper, its own group). */
export async function readAll(
  stack: TestStack,
  topic: string,
  count: number,
): Promise<ConsumedMessage[]> {
  const seen: ConsumedMessage[] = [];
  const consumer = new KafkajsBatchConsumer(stack.kafka, {
    group: `${stack.id}-reader-${Date.now()}`,
    topics: [topic],
    partitionsConcurrently: 1,
    fromBeginning: true,
  });
  void consumer.run(async (batch, control) => {
    seen.push(...batch.messages);
    const last = batch.messages.at(-1);
    if (last) await control.commit((BigInt(last.offset) + 1n).toString());
  });
  await waitFor(`${count} messages on ${topic}`, () => seen.length >= count);
  await consumer.stop();
  return seen;
}

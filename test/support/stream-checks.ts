import { type DeadLetterInfo, readDeadLetterInfo } from '@lukema/ingest';
import { readAll, topicCount } from './store-queries.js';
import type { TestStack } from './test-stack.js';

/** Flux over every time InfluxDB can hold, not only up to 2100 (far-future readings). */
export const allTime = (stack: TestStack) =>
  `from(bucket: "${stack.config.influx.buckets.readings}") |> range(start: 1677-09-22T00:00:00Z, stop: 2262-04-11T00:00:00Z)`;

/** Reading points per time in the test bucket, over all time. */
export async function storedTimes(stack: TestStack): Promise<number[]> {
  const rows = await stack.influx.rows<{ _time: string }>(
    `${allTime(stack)} |> filter(fn: (r) => r._measurement == "energy" and (r._field == "kwh" or r._field == "q"))
      |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
      |> group() |> keep(columns: ["_time"])`,
  );
  return rows.map((r) => Date.parse(r._time));
}

/** The largest `data_gaps` row (missing intervals reported in one gap), 0 when none. */
export async function largestGap(stack: TestStack): Promise<number> {
  const rows = await stack.influx.rows<{ _value: number }>(
    `${allTime(stack)} |> filter(fn: (r) => r._measurement == "data_gaps" and r._field == "intervals")
      |> group() |> max()`,
  );
  return rows[0]?._value ?? 0;
}

/** Every dead letter of the stack (waits until `count` are there), with its source offset. */
export async function deadLetters(
  stack: TestStack,
  count: number,
): Promise<Array<DeadLetterInfo & { key: string | null; value: Buffer | null }>> {
  const topic = stack.config.kafka.topics.deadLetter;
  if (count === 0 && (await topicCount(stack, topic)) === 0) return [];
  const messages = await readAll(stack, topic, count);
  return messages.map((m) => {
    const info = readDeadLetterInfo(m.headers);
    if (!info) throw new Error('a dead letter without its headers');
    return { ...info, key: m.key?.toString() ?? null, value: m.value };
  });
}

/** The consumer group's state and member count, as the broker sees it. */
export async function groupState(stack: TestStack, group = stack.config.ingest.group) {
  const admin = stack.kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([group]);
    return { state: groups[0]?.state ?? 'Unknown', members: groups[0]?.members.length ?? 0 };
  } finally {
    await admin.disconnect();
  }
}

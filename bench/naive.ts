import type { Config, InfluxClientAdapter, Logger } from '@lukema/platform';
import { createKafka } from '@lukema/platform';
import { MeterMessageCodec } from '@lukema/schemas';

/** A message's interval push, or undefined for anything else (the yardsticks skip it). */
export function intervalPush(codec: MeterMessageCodec, value: Buffer | null) {
  if (!value) return undefined;
  try {
    const m = codec.decode(value);
    return m.kind === 'interval' ? m.batch : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The simplest at-least-once pipeline on the same data: kafkajs eachMessage, one InfluxDB
 * write per message, acknowledged before the message's offset can be committed. Runs for
 * `seconds` and returns readings/s.
 */
export async function naivePipeline(
  config: Config,
  logger: Logger,
  influx: InfluxClientAdapter,
  topic: string,
  bucket: string,
  seconds: number,
): Promise<number> {
  const codec = new MeterMessageCodec();
  const consumer = createKafka({ ...config.kafka, logger }).consumer({
    groupId: `bench-naive-${Date.now()}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let readings = 0;
  let t0 = 0;
  await consumer.run({
    // kafkajs resolves a message's offset only after eachMessage returns, so its periodic
    // auto-commit never commits ahead of the write: at-least-once.
    autoCommit: true,
    eachMessage: async ({ message }) => {
      if (t0 === 0) t0 = performance.now();
      const b = intervalPush(codec, message.value);
      if (!b) return;
      const lines = b.intervals.map(
        (i) =>
          `energy,direction=${b.direction},pseudonym=${b.meteringPointId.slice(-8)},resolution=${b.resolution} kwh=${(i.quantityWh ?? 0) / 1000} ${i.startMs}`,
      );
      await influx.writeLines(bucket, lines);
      readings += lines.length;
    },
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  await consumer.disconnect();
  return readings / elapsed;
}

import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import type { ChunkWriter } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumptionPush, openContract } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const WINDOW = Date.UTC(2026, 0, 15, 0, 0, 0);

const batchOf = (meteringPointId: string, values: number[]) =>
  consumptionPush(meteringPointId, WINDOW, values);
const contractFor = (mp: string) => openContract(mp, '900001');

async function publish(stack: TestStack, mp: string, values: number[]) {
  await stack.producer.send(
    stack.config.kafka.topics.contracts,
    contractMessages([contractFor(mp)]),
  );
  await stack.producer.send(stack.config.kafka.topics.readings, [
    { key: mp, value: codec.encode(batchOf(mp, values)) },
  ]);
}

describe('first reading end to end (Kafka → ingest → InfluxDB)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('first');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('stores a produced batch in InfluxDB and commits its offset after the write', async () => {
    const mp = simulatedGsrn(1);
    const values = Array.from({ length: 24 }, (_, i) => 100 + i * 7);
    await publish(stack, mp, values);
    const started = Date.now();
    const pipeline = await startPipeline(stack);
    try {
      await waitFor('the batch committed', async () => (await stack.lag()) === 0);
      const elapsed = Date.now() - started;
      const rows = await stack.influx.rows<{ _time: string; _value: number; p: string }>(
        `${stack.from()} |> filter(fn: (r) => r._field == "kwh") |> sort(columns: ["_time"])`,
      );
      expect(rows.map((r) => r._value)).toEqual(values.map((v) => v / 1000));
      expect(Date.parse(rows[0]?._time ?? '')).toBe(WINDOW);
      expect(rows[0]?.p).toMatch(/^[0-9a-f]{32}$/);
      console.log(
        `[first-reading] 24 readings: registry + worker start → queryable in ${elapsed} ms`,
      );
    } finally {
      await pipeline.stop();
    }
  });
});

describe('offsets wait for InfluxDB', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('commit-order');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('does not commit while the write is unacknowledged', async () => {
    const mp = simulatedGsrn(2);
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([contractFor(mp)]),
    );
    // Hold the real write's acknowledgement until released.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let writesSeen = 0;
    const pipeline = await startPipeline(stack, {
      wrapWriter: (real: ChunkWriter): ChunkWriter => ({
        async writeChunk(bucket, chunk) {
          writesSeen++;
          const result = await real.writeChunk(bucket, chunk);
          await gate;
          return result;
        },
      }),
    });
    try {
      // Send the reading once its contract is known, so it is written directly: a reading
      // that raced ahead of its contract would be parked and re-sent by the registry,
      // which puts a second message on the topic.
      await waitFor('the registry to know the contract', async () =>
        Boolean(await stack.registryContract(`K-${mp}`)),
      );
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: mp, value: codec.encode(batchOf(mp, [1, 2, 3, 4])) },
      ]);
      await waitFor('the write to reach InfluxDB', () => writesSeen > 0);
      // The points are in InfluxDB but unacknowledged to the worker: nothing committed.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await stack.lag()).toBe(1);
      release();
      await waitFor('the commit after acknowledgement', async () => (await stack.lag()) === 0);
    } finally {
      release();
      await pipeline.stop();
    }
  });
});

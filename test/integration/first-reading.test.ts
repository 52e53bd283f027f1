import type { IntervalBatch } from '@lukema/core';
import { simulatedGsrn } from '@lukema/headend-sim';
import { createIngestService } from '@lukema/ingest';
import type { LineWriter } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const WINDOW = Date.UTC(2026, 0, 15, 0, 0, 0);

function batchOf(meteringPointId: string, values: number[]): IntervalBatch {
  return {
    messageId: `first-${meteringPointId}`,
    headEndId: 'he-test',
    meteringPointId,
    direction: 'consumption',
    resolution: 'PT15M',
    sentAtMs: WINDOW + 6 * 3_600_000,
    intervals: values.map((wh, i) => ({
      startMs: WINDOW + i * 900_000,
      quantityWh: wh,
      flags: [],
    })),
  };
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
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: mp, value: codec.encode(batchOf(mp, values)) },
    ]);

    const service = createIngestService(stack.config, stack.logger);
    const started = Date.now();
    void service.worker.start();
    try {
      await waitFor('the batch committed', async () =>
        (await stack.admin.lag(stack.config.ingest.group, stack.config.kafka.topics.readings)) === 0
          ? true
          : undefined,
      );
      const elapsed = Date.now() - started;
      const rows = await stack.influx.rows<{ _time: string; _value: number }>(
        `${stack.from()} |> filter(fn: (r) => r._field == "kwh") |> sort(columns: ["_time"])`,
      );
      expect(rows.map((r) => r._value)).toEqual(values.map((v) => v / 1000));
      expect(Date.parse(rows[0]?._time ?? '')).toBe(WINDOW);
      console.log(`[first-reading] 24 readings produced → queried back in ${elapsed} ms`);
    } finally {
      await service.stop();
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
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: mp, value: codec.encode(batchOf(mp, [1, 2, 3, 4])) },
    ]);
    // Hold the real write's acknowledgement until released.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let writesSeen = 0;
    const service = createIngestService(stack.config, stack.logger, {
      wrapWriter: (real: LineWriter): LineWriter => ({
        async writeLines(bucket, lines) {
          writesSeen++;
          const result = await real.writeLines(bucket, lines);
          await gate;
          return result;
        },
      }),
    });
    void service.worker.start();
    try {
      await waitFor('the write to reach InfluxDB', () => writesSeen > 0);
      // The points are in InfluxDB but unacknowledged to the worker: nothing committed.
      await new Promise((r) => setTimeout(r, 1500));
      const lagWhileHeld = await stack.admin.lag(
        stack.config.ingest.group,
        stack.config.kafka.topics.readings,
      );
      expect(lagWhileHeld).toBe(1);
      release();
      await waitFor('the commit after acknowledgement', async () =>
        (await stack.admin.lag(stack.config.ingest.group, stack.config.kafka.topics.readings)) === 0
          ? true
          : undefined,
      );
    } finally {
      release();
      await service.stop();
    }
  });
});

import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumptionPush, openContract } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { storedPoints } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const QUARTER = 900_000;
const DAY = Date.UTC(2026, 1, 10);
const mp = simulatedGsrn(401);

const push = (windowStartMs: number, values: number[]) =>
  codec.encode(consumptionPush(mp, windowStartMs, values));
const contract = openContract(mp, '900401');

describe('spike history', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('spike');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is kept across a worker restart: the new worker flags a spike against the old history', async () => {
    await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages([contract]));
    const first = await startPipeline(stack);
    try {
      await waitFor('the contract', async () =>
        Boolean(await stack.registryContract(contract.contractId)),
      );
      // 24 ordinary quarter-hours: enough history to judge spikes.
      await stack.producer.send(stack.config.kafka.topics.readings, [
        {
          key: mp,
          value: push(
            DAY,
            Array.from({ length: 24 }, (_, i) => 200 + (i % 5)),
          ),
        },
      ]);
      await waitFor('the first push stored', async () => (await stack.lag()) === 0);
    } finally {
      await first.stop();
    }

    // A new worker (a restart, or another worker taking the partition) with an empty cache.
    const second = await startPipeline(stack);
    try {
      const next = DAY + 24 * QUARTER;
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: mp, value: push(next, [210, 205, 4000, 215]) },
      ]);
      await waitFor('the second push stored', async () => (await stack.lag()) === 0);
      const points = await storedPoints(stack);
      const quality = new Map(points.map((p) => [p.timeMs, p.quality]));
      expect(points).toHaveLength(28);
      expect(quality.get(next + 2 * QUARTER)).toBe('suspect');
      expect(points.filter((p) => p.quality !== 'measured')).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});

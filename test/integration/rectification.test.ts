import type { ContractEvent } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterHourPush } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { storedPoints } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const mp = simulatedGsrn(321);
const contract = (
  id: string,
  customer: string,
  start: string,
  end: string | null,
): ContractEvent => ({
  contractId: id,
  customerId: customer,
  siteId: 'S-321',
  postalCode: '40100',
  meteringPointIds: [mp],
  startDate: start,
  endDate: end,
  status: 'active',
  updatedAt: new Date().toISOString(),
});
const batch = (startMs: number) => quarterHourPush(mp, startMs, 300);

describe('rectification of an assignment', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('rectify');
  });
  afterAll(async () => {
    await stack.close();
  });

  const pseudonymOf = async (contractId: string) =>
    (await stack.registryContract(contractId))?.pseudonyms[mp];

  it('moves the readings of a backdated move-out to the right occupant', async () => {
    const pipeline = await startPipeline(stack);
    try {
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([contract('A', '801', '2026-01-01', null)]),
      );
      await stack.contractsApplied();
      // 2026-01-20 18:00 UTC to 2026-01-21 06:00 UTC: 48 readings, all A's for now.
      const t0 = Date.UTC(2026, 0, 20, 18);
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: mp, value: codec.encode(batch(t0)) },
        { key: mp, value: codec.encode(batch(t0 + 6 * 3_600_000)) },
      ]);
      await waitFor('readings stored', async () => (await storedPoints(stack)).length === 48);
      const a = await pseudonymOf('A');
      expect((await storedPoints(stack)).every((p) => p.pseudonym === a)).toBe(true);

      // The customer system corrects: A moved out on 2026-01-21 (00:00 Helsinki = 22:00 UTC
      // on the 20th), and B moved in that day.
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([
          contract('A', '801', '2026-01-01', '2026-01-21'),
          contract('B', '802', '2026-01-21', null),
        ]),
      );
      await stack.contractsApplied();
      const b = await pseudonymOf('B');
      await waitFor('readings re-attached', async () => {
        const points = await storedPoints(stack);
        return points.length === 48 && points.filter((p) => p.pseudonym === b).length === 32;
      });
      const points = await storedPoints(stack);
      const boundary = Date.UTC(2026, 0, 20, 22);
      expect(points.filter((p) => p.pseudonym === a).every((p) => p.timeMs < boundary)).toBe(true);
      expect(points.filter((p) => p.pseudonym === a)).toHaveLength(16);
      expect(points.filter((p) => p.pseudonym === b).every((p) => p.timeMs >= boundary)).toBe(true);
      expect(pipeline.registry.service.stats.rectified).toBeGreaterThan(0);
    } finally {
      await pipeline.stop();
    }
  });
});

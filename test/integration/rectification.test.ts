import { type ContractEvent, EngineUnavailableError } from '@lukema/core';
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
/** A point of its own for the interrupted rectification. */
const mp2 = simulatedGsrn(322);
const contract = (
  id: string,
  customer: string,
  start: string,
  end: string | null,
  point = mp,
): ContractEvent => ({
  contractId: id,
  customerId: customer,
  siteId: 'S-321',
  postalCode: '40100',
  meteringPointIds: [point],
  startDate: start,
  endDate: end,
  status: 'active',
  updatedAt: new Date().toISOString(),
});
const batch = (startMs: number, point = mp) => quarterHourPush(point, startMs, 300);

describe('rectification of an assignment', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('rectify');
  });
  afterAll(async () => {
    await stack.close();
  });

  const pseudonymOf = async (contractId: string, point = mp) =>
    (await stack.registryContract(contractId))?.pseudonyms[point];

  it('moves the readings of a backdated move-out to the right occupant', async () => {
    const pipeline = await startPipeline(stack);
    try {
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([contract('A', '800801', '2026-01-01', null)]),
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
          contract('A', '800801', '2026-01-01', '2026-01-21'),
          contract('B', '800802', '2026-01-21', null),
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

  it('completes a rectification whose re-attachment failed once (the retry is not taken for no change)', async () => {
    let failures = 0;
    const pipeline = await startPipeline(
      stack,
      {},
      {
        // The registry dies (or InfluxDB drops) between storing the new version and moving
        // the readings: here, the first re-attachment fails as an unreachable engine would.
        wrapReattach: (reattach) => async (previous, next, deps) => {
          if (failures++ === 0) throw new EngineUnavailableError('influxdb');
          return reattach(previous, next, deps);
        },
      },
    );
    try {
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([contract('C', '800803', '2026-02-01', null, mp2)]),
      );
      await stack.contractsApplied();
      const t0 = Date.UTC(2026, 1, 20, 18);
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: mp2, value: codec.encode(batch(t0, mp2)) },
      ]);
      const c = await pseudonymOf('C', mp2);
      await waitFor(
        'readings stored',
        async () => (await storedPoints(stack)).filter((p) => p.pseudonym === c).length === 24,
      );
      // 18:00 to 24:00 UTC stored as C's; C moved out on 2026-02-21 (22:00 UTC on the 20th)
      // and D moved in: the last 8 readings are D's.
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([
          contract('C', '800803', '2026-02-01', '2026-02-21', mp2),
          contract('D', '800804', '2026-02-21', null, mp2),
        ]),
      );
      await stack.contractsApplied();
      const d = await pseudonymOf('D', mp2);
      await waitFor('readings re-attached after the retry', async () => {
        const points = await storedPoints(stack);
        return points.filter((p) => p.pseudonym === d).length === 8;
      });
      const points = await storedPoints(stack);
      const boundary = Date.UTC(2026, 1, 20, 22);
      expect(points.filter((p) => p.pseudonym === c).every((p) => p.timeMs < boundary)).toBe(true);
      expect(points.filter((p) => p.pseudonym === c && p.timeMs >= t0)).toHaveLength(16);
      expect(failures).toBe(2);
      console.log(
        `[rectification] re-attachment failed once, retried: ${points.filter((p) => p.pseudonym === d).length} readings moved to the new occupant`,
      );
    } finally {
      await pipeline.stop();
    }
  });
});

import { type ContractEvent, SERIES_TAG, type WrappedCustomerKey } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { IoredisParkingStore } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterHourPush } from '../support/fixtures.js';
import { expectedOutcome, pseudonymsOf } from '../support/ground-truth.js';
import { startPipeline } from '../support/pipeline.js';
import { generatedWorld } from '../support/population.js';
import { allTagValues, storedPoints, topicCount } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const FROM = Date.UTC(2026, 0, 10);

async function keysOf(stack: TestStack): Promise<Map<string, WrappedCustomerKey>> {
  const raw = await stack.redis.hgetall(`${stack.config.registry.redisPrefix}:keys:customer`);
  return new Map(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as WrappedCustomerKey]));
}

describe('ingest pipeline over a simulated population', () => {
  let stack: TestStack;
  const {
    population: sites,
    contracts,
    messages,
  } = generatedWorld({
    sites: 40,
    seed: 11,
    fromMs: FROM,
    days: 3,
    moveShare: 0.4,
    vacancyShare: 0.5,
    badShare: 0.08,
    lateShare: 0.1,
  });

  beforeAll(async () => {
    stack = await createTestStack('population');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('stores every reading exactly once under its contract, dead-letters the rest with a reason', async () => {
    await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages(contracts));
    await stack.producer.send(stack.config.kafka.topics.readings, messages);
    const pipeline = await startPipeline(stack);
    try {
      await waitFor('all readings committed', async () => (await stack.lag()) === 0, {
        timeoutMs: 90_000,
      });
      await stack.contractsApplied();
      await waitFor('released readings committed', async () => (await stack.lag()) === 0);
    } finally {
      await pipeline.stop();
    }
    const expected = expectedOutcome(messages, contracts);
    const keys = await keysOf(stack);
    const pseudonymOf = pseudonymsOf(contracts, (id) => keys.get(id), stack.keyring);
    const keyOf = (pseudonym: string | undefined, direction: string, timeMs: number) =>
      `${pseudonym}|${direction}|${timeMs}`;
    const want = new Set(
      expected.points.map((p) =>
        keyOf(pseudonymOf.get(`${p.contractId}|${p.meteringPointId}`), p.direction, p.timeMs),
      ),
    );
    const stored = await storedPoints(stack);
    const got = stored.map((p) => keyOf(p.pseudonym, p.direction, p.timeMs));
    expect(got.length).toBe(new Set(got).size); // no duplicates
    expect(new Set(got)).toEqual(want);
    const kwhByKey = new Map(stored.map((p) => [keyOf(p.pseudonym, p.direction, p.timeMs), p.kwh]));
    for (const p of expected.points) {
      const kwh = kwhByKey.get(
        keyOf(pseudonymOf.get(`${p.contractId}|${p.meteringPointId}`), p.direction, p.timeMs),
      );
      expect(kwh).toBe(p.quantityWh === null ? null : p.quantityWh / 1000);
    }
    expect(await topicCount(stack, stack.config.kafka.topics.deadLetter)).toBe(
      expected.deadLettered,
    );
    expect(expected.deadLettered).toBeGreaterThan(0);
    expect(expected.unattached).toBeGreaterThan(0); // vacancies exist and stay parked
    const parked = await new IoredisParkingStore(
      stack.redis,
      `${stack.config.registry.redisPrefix}:parked`,
    ).summary();
    expect(parked.messages).toBeGreaterThan(0);
    console.log(
      `[population] ${messages.length} pushes: ${stored.length} points stored exactly once, ` +
        `${expected.deadLettered} dead-lettered, ${expected.unattached} readings parked (vacant)`,
    );

    // No identifier in InfluxDB: tags hold pseudonyms and coarse attributes only.
    const tags = await allTagValues(stack);
    const identifiers = [
      ...sites.map((s) => s.meteringPointId),
      ...contracts.flatMap((c: ContractEvent) => [
        c.customerId,
        c.contractId,
        c.siteId,
        c.postalCode,
      ]),
    ];
    // The pseudonym tag is there, so the shape check below runs on every pseudonym.
    expect(tags.filter((t) => t.startsWith(`${SERIES_TAG.pseudonym}=`)).length).toBeGreaterThan(0);
    for (const tag of tags) {
      // A pseudonym is 32 random hex digits: a short number (a postal code, a customer
      // number) turns up in one by chance, so it is held to its shape and the long
      // identifiers; every other tag to all of them.
      const pseudonym = tag.startsWith(`${SERIES_TAG.pseudonym}=`);
      if (pseudonym) expect(tag).toMatch(new RegExp(`^${SERIES_TAG.pseudonym}=[0-9a-f]{32}$`));
      for (const id of identifiers) {
        if (!pseudonym || id.length > 8) expect(tag).not.toContain(id);
      }
    }
  });
});

describe("attachment at each reading's own timestamp", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('attach');
  });
  afterAll(async () => {
    await stack.close();
  });

  const contract = (
    id: string,
    customer: string,
    mp: string,
    start: string,
    end: string | null,
  ): ContractEvent => ({
    contractId: id,
    customerId: customer,
    siteId: 'SITE-9',
    postalCode: '33100',
    meteringPointIds: [mp],
    startDate: start,
    endDate: end,
    status: 'active',
    updatedAt: '2026-01-01T00:00:00Z',
  });
  const batch = (mp: string, startMs: number) => quarterHourPush(mp, startMs, 200);

  it('splits a batch crossing a move-out, and attaches a parked batch when its assignment arrives', async () => {
    const moving = simulatedGsrn(501);
    const late = simulatedGsrn(502);
    // Move-out on 2026-02-01 (Finnish date): 00:00 in Helsinki is 22:00 UTC the day before.
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([
        contract('OLD', '700001', moving, '2025-06-01', '2026-02-01'),
        contract('NEW', '700002', moving, '2026-02-01', null),
      ]),
    );
    const window = Date.UTC(2026, 0, 31, 18); // 18:00–24:00 UTC: 16 intervals old, 8 new
    const pipeline = await startPipeline(stack);
    await stack.contractsApplied();
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: moving, value: codec.encode(batch(moving, window)) },
      { key: late, value: codec.encode(batch(late, window)) },
    ]);
    const parking = new IoredisParkingStore(
      stack.redis,
      `${stack.config.registry.redisPrefix}:parked`,
    );
    try {
      await waitFor('readings committed', async () => (await stack.lag()) === 0);
      const keys = await keysOf(stack);
      const p = pseudonymsOf(
        [
          contract('OLD', '700001', moving, '2025-06-01', null),
          contract('NEW', '700002', moving, '2026-02-01', null),
        ],
        (id) => keys.get(id),
        stack.keyring,
      );
      const byPseudonym = (
        points: Awaited<ReturnType<typeof storedPoints>>,
        ps: string | undefined,
      ) =>
        points
          .filter((x) => x.pseudonym === ps)
          .map((x) => x.timeMs)
          .sort((a, b) => a - b);
      let points = await storedPoints(stack);
      const oldTimes = byPseudonym(points, p.get(`OLD|${moving}`));
      const newTimes = byPseudonym(points, p.get(`NEW|${moving}`));
      expect(oldTimes).toHaveLength(16);
      expect(newTimes).toHaveLength(8);
      expect(Math.max(...oldTimes)).toBeLessThan(Date.UTC(2026, 0, 31, 22));
      expect(Math.min(...newTimes)).toBe(Date.UTC(2026, 0, 31, 22));
      // The unknown point's batch is parked, not lost and not stored.
      expect(points).toHaveLength(24);
      expect((await parking.summary()).messages).toBe(1);

      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([contract('LATE', '700003', late, '2026-01-01', null)]),
      );
      await waitFor(
        'the parked batch attached',
        async () => (await storedPoints(stack)).length === 48,
      );
      points = await storedPoints(stack);
      const lateKeys = await keysOf(stack);
      const lateP = pseudonymsOf(
        [contract('LATE', '700003', late, '2026-01-01', null)],
        (id) => lateKeys.get(id),
        stack.keyring,
      );
      expect(byPseudonym(points, lateP.get(`LATE|${late}`))).toHaveLength(24);
      await waitFor('parking emptied', async () => (await parking.summary()).messages === 0);
    } finally {
      await pipeline.stop();
    }
  });
});

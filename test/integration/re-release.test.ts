import type { ContractEvent, IntervalBatch } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { IntervalBatchCodec, MeterMessageCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../support/pipeline.js';
import { storedReadings, withoutOwner } from '../support/stored-readings.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const mp = simulatedGsrn(322);
const QUARTER = 900_000;
const HOUR = 3_600_000;
const contract = (id: string, customer: string, start: string, end: string | null) =>
  ({
    contractId: id,
    customerId: customer,
    siteId: 'S-322',
    postalCode: '40100',
    meteringPointIds: [mp],
    startDate: start,
    endDate: end,
    status: 'active',
    updatedAt: new Date().toISOString(),
  }) satisfies ContractEvent;

/**
 * A 6-hour push whose readings carry every kind of quality: head-end flags (estimated,
 * suspect, missing), validation flags (negative, spike, an in-push correction) and the
 * Datahub status.
 */
function push(startMs: number, sentAtMs: number, dataStatus: 'preliminary' | 'final') {
  const intervals: Array<IntervalBatch['intervals'][number]> = Array.from(
    { length: 24 },
    (_, i) => ({ startMs: startMs + i * QUARTER, quantityWh: 300 + i, flags: [] }),
  );
  const at = (i: number, change: Partial<IntervalBatch['intervals'][number]>) => {
    intervals[i] = { ...(intervals[i] as IntervalBatch['intervals'][number]), ...change };
  };
  at(16, { flags: ['ESTIMATED'] });
  at(17, { flags: ['POWER_DOWN'] });
  at(18, { quantityWh: null, flags: ['MISSING'] });
  at(19, { flags: ['RECOVERED_VALUE', 'CLOCK_ADJUSTED'] });
  at(20, { quantityWh: 30_000 });
  at(21, { quantityWh: -5 });
  intervals.push({ startMs: startMs + 22 * QUARTER, quantityWh: 333, flags: [] });
  return {
    messageId: `m-${startMs}`,
    headEndId: 'he',
    meteringPointId: mp,
    direction: 'consumption',
    resolution: 'PT15M',
    sentAtMs,
    intervals,
    dataStatus,
  } satisfies IntervalBatch;
}

describe('readings parked by a rectification and released to a new owner', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('rerelease');
  });
  afterAll(async () => {
    await stack.close();
  });

  const pseudonymOf = async (contractId: string) =>
    (await stack.registryContract(contractId))?.pseudonyms[mp];

  it('keep value, quality, flags, revision and Datahub status exactly', async () => {
    const pipeline = await startPipeline(stack);
    try {
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([contract('A', '800811', '2026-01-01', null)]),
      );
      await stack.contractsApplied();
      // 2026-01-20 18:00 UTC to 2026-01-21 06:00 UTC, two pushes with different revisions.
      const t0 = Date.UTC(2026, 0, 20, 18);
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: mp, value: codec.encode(push(t0, t0 + 7 * HOUR, 'final')) },
        { key: mp, value: codec.encode(push(t0 + 6 * HOUR, t0 + 13 * HOUR, 'preliminary')) },
      ]);
      await waitFor('readings stored', async () => (await storedReadings(stack)).length === 48);
      const a = await pseudonymOf('A');
      // A moves out on 2026-01-21 (22:00 UTC on the 20th): what follows belongs to no one.
      const boundary = Date.UTC(2026, 0, 20, 22);
      const before = (await storedReadings(stack)).filter((r) => r.timeMs >= boundary);
      expect(before).toHaveLength(32);
      expect(before.every((r) => r.pseudonym === a)).toBe(true);
      expect(new Set(before.map((r) => r.quality))).toEqual(
        new Set(['measured', 'estimated', 'suspect', 'missing']),
      );
      expect(new Set(before.map((r) => r.status))).toEqual(new Set(['final', 'preliminary']));

      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([contract('A', '800811', '2026-01-01', '2026-01-21')]),
      );
      await stack.contractsApplied();
      await waitFor('the vacant period parked', async () => {
        const stored = await storedReadings(stack);
        return stored.length === 16 && stored.every((r) => r.timeMs < boundary);
      });

      // B moves in: the parked readings are released to B.
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([contract('B', '800812', '2026-01-21', null)]),
      );
      await stack.contractsApplied();
      const b = await pseudonymOf('B');
      const after = await waitFor('readings released to B', async () => {
        const stored = (await storedReadings(stack)).filter((r) => r.pseudonym === b);
        return stored.length === 32 && stored;
      });
      console.log(
        `re-release: ${after.length} readings moved to the new owner; qualities ${JSON.stringify(
          after.reduce<Record<string, number>>((n, r) => {
            n[r.quality] = (n[r.quality] ?? 0) + 1;
            return n;
          }, {}),
        )}, flags ${[...new Set(after.map((r) => r.flags).filter(Boolean))].join(' | ')}`,
      );
      expect(after.map(withoutOwner)).toEqual(before.map(withoutOwner));
    } finally {
      await pipeline.stop();
    }
  });
});

describe('a re-released reading against a newer push of its window', () => {
  const other = simulatedGsrn(323);
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('rerelease-order');
  });
  afterAll(async () => {
    await stack.close();
  });

  /** A clean 6-hour push of `other`: value `base + i` Wh at its i-th quarter. */
  const cleanPush = (startMs: number, sentAtMs: number, base: number) =>
    ({
      messageId: `o-${startMs}-${sentAtMs}`,
      headEndId: 'he',
      meteringPointId: other,
      direction: 'consumption',
      resolution: 'PT15M',
      sentAtMs,
      intervals: Array.from({ length: 24 }, (_, i) => ({
        startMs: startMs + i * QUARTER,
        quantityWh: base + i,
        flags: [],
      })),
    }) satisfies IntervalBatch;

  /**
   * A rectification parks a window's readings with the revision they were stored with; the
   * registry re-queues them when an owner's contract arrives. A newer push of the same window
   * can be ahead of them in the topic (sent meanwhile, or read before the re-queued copy):
   * the revision rule holds for them as for any push, whatever the order they arrive in.
   */
  it('is left out when the window holds a newer revision, written when it is the newest', async () => {
    const pipeline = await startPipeline(stack);
    try {
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([
          {
            ...contract('C', '800813', '2026-01-01', null),
            meteringPointIds: [other],
            siteId: 'S-323',
          },
        ]),
      );
      await stack.contractsApplied();
      const t0 = Date.UTC(2026, 1, 10);
      const older = t0 + 7 * HOUR;
      const newer = t0 + 30 * HOUR;
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: other, value: codec.encode(cleanPush(t0, newer, 500)) },
      ]);
      await waitFor(
        'the newer push stored',
        async () => (await storedReadings(stack)).length === 24,
      );
      const stored = new MeterMessageCodec();
      const parked = (startMs: number, revision: number, base: number) =>
        stored.encodeStored({
          messageId: `rectification-x-${startMs}-${revision}`,
          headEndId: 'lukema-rectification',
          meteringPointId: other,
          direction: 'consumption',
          resolution: 'PT15M',
          sentAtMs: revision,
          readings: Array.from({ length: 24 }, (_, i) => ({
            startMs: startMs + i * QUARTER,
            quantityWh: base + i,
            quality: 'measured' as const,
            flags: [],
            revision,
          })),
        });
      // The same window's readings as an older push stored them, re-released after the
      // newer push; then the next window's, stored by a push newer than any of it.
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: other, value: parked(t0, older, 100) },
        { key: other, value: parked(t0 + 6 * HOUR, newer, 700) },
      ]);
      const after = await waitFor('the next window re-released', async () => {
        const all = await storedReadings(stack);
        return all.length === 48 && all;
      });
      const window = after.filter((r) => r.timeMs < t0 + 6 * HOUR);
      expect(window.map((r) => Math.round((r.kwh ?? 0) * 1000))).toEqual(
        Array.from({ length: 24 }, (_, i) => 500 + i),
      );
      expect(new Set(window.map((r) => r.rev))).toEqual(new Set([newer]));
      // Counted where operators see it: left out by the revision rule, not lost unnoticed.
      await waitFor('the batch committed', async () => (await stack.lag()) === 0);
      expect(pipeline.ingest.worker.stats.superseded).toBe(24);
      const next = after.filter((r) => r.timeMs >= t0 + 6 * HOUR);
      expect(next.map((r) => Math.round((r.kwh ?? 0) * 1000))).toEqual(
        Array.from({ length: 24 }, (_, i) => 700 + i),
      );
    } finally {
      await pipeline.stop();
    }
  });
});

import type { IntervalBatch } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContract } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { storedReadings } from '../support/stored-readings.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const QUARTER = 900_000;
const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 5, 14);
const DAYS = 3;
const PUSHES = DAYS * 4;

/** Deterministic pseudo-random numbers (mulberry32), so every run sends the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Kind = 'household' | 'solar';

/** Wh per quarter-hour at `t`: a household's evening peaks and sauna, or a June solar day. */
function profile(kind: Kind, t: number, rnd: () => number): number {
  const hour = ((t - DAY0) / HOUR) % 24;
  if (kind === 'solar') {
    // Sun from about 01:00 to 19:00 UTC in mid-June in southern Finland, passing clouds.
    const sun = Math.max(0, Math.sin(((hour - 1) / 18) * Math.PI));
    return Math.round(950 * sun ** 1.3 * (0.35 + 0.65 * rnd()));
  }
  const evening = hour >= 15 && hour < 19 ? 250 : 0;
  const sauna = hour >= 16 && hour < 17 ? 1500 : 0;
  return Math.round(90 + 60 * rnd() + evening + sauna);
}

/** The 6-hour pushes of one point, in time order, with one real spike on the second day. */
function pushes(kind: Kind, meteringPointId: string): IntervalBatch[] {
  const rnd = random(kind === 'solar' ? 7 : 11);
  return Array.from({ length: PUSHES }, (_, p) => {
    const start = DAY0 + p * 6 * HOUR;
    const intervals = Array.from({ length: 24 }, (_, i) => {
      const t = start + i * QUARTER;
      const spike = p === 6 && i === 3;
      return { startMs: t, quantityWh: spike ? 48_000 : profile(kind, t, rnd), flags: [] };
    });
    return {
      messageId: `${kind}-${p}`,
      headEndId: 'he',
      meteringPointId,
      direction: kind === 'solar' ? 'production' : 'consumption',
      resolution: 'PT15M',
      sentAtMs: start + 6 * HOUR + 5 * 60_000,
      intervals,
      dataStatus: 'preliminary',
    } satisfies IntervalBatch;
  });
}

/** Push indexes in arrival order: in time, reversed, evening pushes late, spike first, shuffles. */
function arrivalOrders(): number[][] {
  const inTime = Array.from({ length: PUSHES }, (_, p) => p);
  // Each evening push (18-24 UTC, zeros after sunset) arrives late, just before the next
  // day's morning push (06-12 UTC); the last one comes last.
  const nightsLate = [
    ...inTime.filter((p) => p % 4 !== 3).flatMap((p) => (p % 4 === 1 && p > 1 ? [p - 2, p] : [p])),
    PUSHES - 1,
  ];
  const shuffled = (seed: number) => {
    const rnd = random(seed);
    const order = [...inTime];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  };
  // The push with the spike arrives first, before anything else of its series.
  const spikeFirst = [6, ...inTime.filter((p) => p !== 6)];
  return [
    inTime,
    [...inTime].reverse(),
    nightsLate,
    spikeFirst,
    shuffled(1),
    shuffled(2),
    shuffled(3),
  ];
}

describe('flags do not depend on arrival order', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('arrival');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('gives the same stored flags for the same pushes in any order, household and solar', async () => {
    const orders = arrivalOrders();
    expect(orders.every((o) => [...o].sort((a, b) => a - b).join() === orders[0]?.join())).toBe(
      true,
    );
    // One household and one solar point per order: each order is a world of its own.
    const points = orders.flatMap((_, o) =>
      (['household', 'solar'] as const).map((kind) => ({
        kind,
        order: o,
        mp: simulatedGsrn(700 + 2 * o + (kind === 'solar' ? 1 : 0)),
      })),
    );
    const pipeline = await startPipeline(stack);
    try {
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages(points.map((p, i) => openContract(p.mp, String(930_000 + i)))),
      );
      await stack.contractsApplied();
      const messages = points.flatMap((p) => {
        const all = pushes(p.kind, p.mp);
        return (orders[p.order] as number[]).map((i) => ({
          key: p.mp,
          value: codec.encode(all[i] as IntervalBatch),
        }));
      });
      await stack.producer.send(stack.config.kafka.topics.readings, messages);
      const expected = points.length * PUSHES * 24;
      const stored = await waitFor(
        `${expected} readings stored`,
        async () => {
          const rows = await storedReadings(stack);
          return rows.length === expected && rows;
        },
        { timeoutMs: 120_000 },
      );

      const owner = new Map<string, (typeof points)[number]>();
      for (const p of points) {
        const pseudonym = (await stack.registryContract(`K-${p.mp}`))?.pseudonyms[p.mp];
        if (pseudonym) owner.set(pseudonym, p);
      }
      // Per kind: the flags each order left, reading by reading.
      const flags = new Map<string, Map<number, string>>();
      for (const r of stored) {
        const p = owner.get(r.pseudonym);
        if (!p) throw new Error(`a reading of an unknown series ${r.pseudonym}`);
        const key = `${p.kind}|${p.order}`;
        const series = flags.get(key) ?? new Map<number, string>();
        series.set(r.timeMs, `${r.quality}:${r.flags}`);
        flags.set(key, series);
      }
      for (const kind of ['household', 'solar'] as const) {
        const first = flags.get(`${kind}|0`);
        const flagged = [...(first ?? new Map()).entries()].filter(([, f]) => f !== 'measured:');
        console.log(
          `arrival order (${kind}): ${orders.length} orders x ${PUSHES * 24} readings; ` +
            `flagged in time order: ${flagged.map(([t, f]) => `${new Date(t).toISOString()} ${f}`).join(', ')}`,
        );
        expect(flagged).toEqual([[DAY0 + 6 * 6 * HOUR + 3 * QUARTER, 'suspect:spike']]);
        // Readings whose flags differ from the in-time order's, per other order.
        const differing = orders.slice(1).map((_, i) => {
          const other = flags.get(`${kind}|${i + 1}`) ?? new Map<number, string>();
          return [...(first ?? new Map<number, string>())]
            .filter(([t, f]) => other.get(t) !== f)
            .map(([t, f]) => `${new Date(t).toISOString()} ${f} -> ${other.get(t)}`);
        });
        console.log(
          `arrival order (${kind}): readings flagged otherwise than in time order, per order: ${differing.map((d) => d.length).join(' ')}`,
        );
        expect(differing).toEqual(differing.map(() => []));
      }
    } finally {
      await pipeline.stop();
    }
  });
});

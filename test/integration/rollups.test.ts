import { randomBytes } from 'node:crypto';
import type { ContractEvent, IntervalBatch } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import {
  IoredisDirtyHours,
  IoredisRegistryStore,
  type RollupStore,
  redisKeys,
} from '@lukema/platform';
import { createRollupRunner } from '@lukema/rollup';
import { erasureEventValue, IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContract } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import {
  areaDifferences,
  areaTruth,
  differences,
  hourlyTruth,
  kwhByArea,
  storedAreas,
  storedHourly,
} from '../support/rollup-truth.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const HOUR = 3_600_000;
const QUARTER = 900_000;
// 20 November 2026, 00:00 in Helsinki.
const DAY = Date.UTC(2026, 10, 19, 22);
const POINTS = [simulatedGsrn(9101), simulatedGsrn(9102)];
const codec = new IntervalBatchCodec();

/** A 6-hour push of quarter-hours from `startMs`, the third interval estimated. */
function push(
  meteringPointId: string,
  startMs: number,
  baseWh: number,
  sentAtMs: number,
): IntervalBatch {
  return {
    messageId: `m-${meteringPointId}-${startMs}-${sentAtMs}`,
    headEndId: 'he',
    meteringPointId,
    direction: 'consumption',
    resolution: 'PT15M',
    sentAtMs,
    intervals: Array.from({ length: 24 }, (_, i) => ({
      startMs: startMs + i * QUARTER,
      quantityWh: baseWh + i,
      flags: i === 2 ? (['ESTIMATED'] as const) : [],
    })),
  } as IntervalBatch;
}

describe('rollups follow the stored readings', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  const rollupBucket = `t-rollups-${randomBytes(4).toString('hex')}`;
  let runner: ReturnType<typeof createRollupRunner>;
  let ledger: IoredisDirtyHours;

  const send = async (batches: IntervalBatch[]) => {
    await stack.producer.send(
      stack.config.kafka.topics.readings,
      batches.map((b) => ({ key: b.meteringPointId, value: codec.encode(b) })),
    );
    await waitFor('readings committed', async () => (await stack.lag()) === 0, {
      timeoutMs: 60_000,
    });
  };
  const expectRollupsEqualRaw = async (what: string) => {
    const truth = await hourlyTruth(stack);
    const stored = await storedHourly(stack, rollupBucket);
    expect(differences(truth, stored), what).toEqual([]);
    // The per-area rollups are the sums of the per-series ones, with the distinct customers.
    const hourAreas = await storedAreas(stack, rollupBucket, 'energy_area_1h');
    const hourTruth = await areaTruth(stack, rollupBucket, 'energy_1h');
    expect(areaDifferences(hourTruth, hourAreas), `${what}: hourly areas`).toEqual([]);
    const dayAreas = await storedAreas(stack, rollupBucket, 'energy_area_1d');
    const dayTruth = await areaTruth(stack, rollupBucket, 'energy_1d');
    expect(areaDifferences(dayTruth, dayAreas), `${what}: daily areas`).toEqual([]);
    // The load profile's monthly cells hold the same kWh as the hourly area points.
    expect(await kwhByArea(stack, rollupBucket, 'energy_area_cells_1mo'), what).toEqual(
      await kwhByArea(stack, rollupBucket, 'energy_area_1h'),
    );
    return { truth, stored, hourAreas, dayAreas };
  };

  beforeAll(async () => {
    stack = await createTestStack('rollups', { LUKEMA_INFLUX_BUCKET_ROLLUPS: rollupBucket });
    await stack.influx.ensureBucket({ name: rollupBucket, retentionSeconds: 0 });
    pipeline = await startPipeline(stack);
    ledger = new IoredisDirtyHours(
      stack.redis,
      redisKeys(stack.config.registry.redisPrefix).rollupDirtyHours,
    );
    runner = createRollupRunner({
      store: stack.influx,
      owners: new IoredisRegistryStore(
        stack.redis,
        redisKeys(stack.config.registry.redisPrefix).registry,
      ),
      ledger,
      readingsBucket: stack.config.influx.buckets.readings,
      rollupBucket,
      logger: stack.logger,
    });
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages(POINTS.map((p, i) => openContract(p, String(300_001 + i), '2026-01-01'))),
    );
    await stack.contractsApplied();
  }, 120_000);

  afterAll(async () => {
    await pipeline?.stop();
    await stack?.influx.deleteBucket(rollupBucket).catch(() => undefined);
    await stack?.close();
  });

  it('rolls up each hour to the sum of its intervals, their count and the weakest quality, and days from hours', async () => {
    await send(POINTS.map((p, i) => push(p, DAY + 6 * HOUR, 100 * (i + 1), DAY + 12 * HOUR)));
    // The ingest worker marked the six hours it stored.
    await waitFor('the hours marked', async () => (await ledger.size()) === 6);
    const r = await runner.drain();
    expect(r).toMatchObject({ hours: 6, days: 1, hourlyPoints: 12, dailyPoints: 2 });
    const { stored, dayAreas } = await expectRollupsEqualRaw('after the first pushes');
    // Two customers on the day, each counted once, in their contracts' area (the registry's:
    // the raw series carry no area).
    expect([...dayAreas.values()].reduce((n, a) => n + a.customers, 0)).toBe(2);
    expect([...dayAreas.keys()].map((k) => k.split('|')[0])).toEqual(['001xx']);
    console.log(`[rollups] daily areas: ${JSON.stringify([...dayAreas.entries()])}`);
    const first = [...stored.entries()].find(([k]) => k.endsWith(`|${DAY + 6 * HOUR}`))?.[1];
    expect(first).toMatchObject({ intervals: 4, quality: 'estimated' }); // interval 3 was estimated
    expect([...stored.values()].filter((h) => h.quality === 'measured')).toHaveLength(10);
    const daily = await storedHourly(stack, rollupBucket, 'energy_1d');
    // One local day per series, stamped 00:00 Helsinki, the sum of its 24 intervals.
    expect([...daily.keys()].every((k) => k.endsWith(`|${DAY}`))).toBe(true);
    expect([...daily.values()].map((d) => d.intervals)).toEqual([24, 24]);
    expect(await ledger.size()).toBe(0);
    console.log(`[rollups] first run: ${JSON.stringify(r)}`);
  });

  it('re-aggregates exactly the hours a late push and a correction touch', async () => {
    // A late push of the morning, and a correction of the first point's window.
    await send([
      push(POINTS[0] as string, DAY, 50, DAY + 6 * HOUR),
      push(POINTS[0] as string, DAY + 6 * HOUR, 900, DAY + 30 * HOUR),
    ]);
    await waitFor('the hours marked', async () => (await ledger.size()) === 12);
    const r = await runner.drain();
    expect(r.hours).toBe(12);
    const { stored } = await expectRollupsEqualRaw('after a late push and a correction');
    const corrected = [...stored.entries()].filter(([k]) => k.endsWith(`|${DAY + 6 * HOUR}`));
    expect(corrected.map(([, v]) => v.kwh).sort()).toEqual([0.806, 3.606]);
    const daily = await storedHourly(stack, rollupBucket, 'energy_1d');
    expect([...daily.values()].map((d) => d.intervals).sort()).toEqual([24, 48]);
  });

  it('says missing for an hour short of an interval that never arrived, and for its day', async () => {
    // The second point's 18:00 hour with three of its four quarter-hours, all measured.
    const gap = push(POINTS[1] as string, DAY + 18 * HOUR, 700, DAY + 20 * HOUR);
    await send([
      {
        ...gap,
        intervals: gap.intervals
          .slice(0, 4)
          .flatMap((v, i) => (i === 2 ? [] : [{ ...v, flags: [] }])),
      },
    ]);
    await waitFor('the hour marked', async () => (await ledger.size()) === 1);
    await runner.drain();
    const { stored } = await expectRollupsEqualRaw('after an hour with a gap');
    const short = [...stored.entries()].filter(([k]) => k.endsWith(`|${DAY + 18 * HOUR}`));
    expect(short.map(([, v]) => [v.intervals, v.quality])).toEqual([[3, 'missing']]);
    // Days with hours or intervals that never came say so; none is complete here.
    const daily = await storedHourly(stack, rollupBucket, 'energy_1d');
    expect([...daily.values()].map((d) => [d.intervals, d.quality]).sort()).toEqual([
      [27, 'missing'],
      [48, 'missing'],
    ]);
  });

  it('follows a rectification: readings that moved to another customer move in the rollups', async () => {
    // The first point's occupant moved out at 20 Nov (Helsinki); a new one moved in.
    const [point] = POINTS as [string];
    const moved: ContractEvent[] = [
      {
        ...openContract(point, '300001', '2026-01-01'),
        endDate: '2026-11-20',
        updatedAt: '2026-11-21T00:00:00Z',
      },
      {
        ...openContract(point, '300009', '2026-11-20'),
        contractId: `K2-${point}`,
        updatedAt: '2026-11-21T00:00:00Z',
      },
    ];
    const before = await storedHourly(stack, rollupBucket);
    await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages(moved));
    await stack.contractsApplied();
    await waitFor('the hours marked', async () => (await ledger.size()) > 0);
    await runner.drain();
    const { stored } = await expectRollupsEqualRaw('after the rectification');
    const newOwner = (await stack.registryContract(`K2-${point}`))?.pseudonyms[point];
    expect(newOwner).toBeDefined();
    expect([...stored.keys()].filter((k) => k.startsWith(`${newOwner}|`))).toHaveLength(12);
    expect(stored.size).toBe(before.size);
  });

  it('an interrupted run leaves its marks, and the rerun gives the same points, none twice', async () => {
    const truthBefore = await storedHourly(stack, rollupBucket);
    const dayAreasBefore = await storedAreas(stack, rollupBucket, 'energy_area_1d');
    expect(dayAreasBefore.size).toBeGreaterThan(0);
    await runner.markRange(DAY, DAY + 24 * HOUR);
    // Killed after some windows were written: the hourly series and area points and the
    // daily series points go through (three writes), the daily area points' window was
    // deleted and its write dies.
    const SUCCEED = 3;
    let writes = 0;
    const failing: RollupStore & typeof stack.influx = Object.create(stack.influx);
    failing.writeLines = async (bucket: string, lines: readonly string[]) => {
      writes += 1;
      if (writes > SUCCEED) throw new Error('killed mid-run');
      return stack.influx.writeLines(bucket, lines);
    };
    const interrupted = createRollupRunner({
      store: failing,
      owners: new IoredisRegistryStore(
        stack.redis,
        redisKeys(stack.config.registry.redisPrefix).registry,
      ),
      ledger,
      readingsBucket: stack.config.influx.buckets.readings,
      rollupBucket,
      logger: stack.logger,
    });
    await expect(interrupted.runOnce()).rejects.toThrow('killed mid-run');
    expect(writes).toBe(SUCCEED + 1);
    // Part of the run landed: the hours were rewritten, the day's area window is empty.
    expect(differences(await storedHourly(stack, rollupBucket), truthBefore)).toEqual([]);
    expect((await storedAreas(stack, rollupBucket, 'energy_area_1d')).size).toBe(0);
    expect(await ledger.size()).toBe(24); // nothing was cleared
    const r = await runner.drain();
    expect(r.hours).toBe(24);
    const { stored, dayAreas } = await expectRollupsEqualRaw('after the rerun');
    expect(differences(stored, truthBefore)).toEqual([]);
    expect([...dayAreas.entries()]).toEqual([...dayAreasBefore.entries()]);
    console.log(
      `[rollups] run killed after ${SUCCEED} writes, rerun: ${stored.size} hourly points, equal to raw, none twice`,
    );
  });

  it('erasure deletes the customer’s rollups with their readings', async () => {
    const [, point] = POINTS as [string, string];
    const pseudonym = (await stack.registryContract(`K-${point}`))?.pseudonyms[point];
    expect(pseudonym).toBeDefined();
    const has = async (measurement: string) =>
      [...(await storedHourly(stack, rollupBucket, measurement)).keys()].some((k) =>
        k.startsWith(`${pseudonym}|`),
      );
    expect(await has('energy_1h')).toBe(true);
    const customersBefore = [...(await storedAreas(stack, rollupBucket, 'energy_area_1d')).values()]
      .map((a) => a.customers)
      .reduce((n, c) => n + c, 0);
    await stack.producer.send(stack.config.kafka.topics.erasures, [
      {
        key: '300002',
        value: erasureEventValue({
          requestId: 'r-rollups',
          customerId: '300002',
          requestedAt: new Date().toISOString(),
        }),
      },
    ]);
    await waitFor(
      'the erasure carried out',
      async () =>
        (await stack.lag(stack.config.kafka.topics.erasures, stack.config.registry.group)) === 0,
    );
    expect(await has('energy_1h')).toBe(false);
    expect(await has('energy_1d')).toBe(false);
    // The erasure marked the erased series' hours: the areas under them are recomputed.
    expect(await ledger.size()).toBeGreaterThan(0);
    await runner.drain();
    const { dayAreas } = await expectRollupsEqualRaw('after the erasure');
    const customersAfter = [...dayAreas.values()]
      .map((a) => a.customers)
      .reduce((n, c) => n + c, 0);
    expect(customersAfter).toBe(customersBefore - 1);
    console.log(`[rollups] erasure: area customers ${customersBefore} -> ${customersAfter}`);
  });
});

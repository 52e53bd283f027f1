import { randomBytes } from 'node:crypto';
import { ObjectionFilter } from '@lukema/api';
import { EngineUnavailableError, type IntervalBatch, PointLines } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import {
  IoredisDirtyHours,
  IoredisLease,
  IoredisRegistryStore,
  IoredisUnownedSeries,
  type RollupStore,
  redisKeys,
} from '@lukema/platform';
import { createRollupRunner, RollupBusyError } from '@lukema/rollup';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContract } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { differences, hourlyTruth, storedAreas, storedHourly } from '../support/rollup-truth.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const HOUR = 3_600_000;
const QUARTER = 900_000;
// 20 November 2026, 06:00 in Helsinki.
const START = Date.UTC(2026, 10, 20, 4);
const POINT = simulatedGsrn(9201);
const codec = new IntervalBatchCodec();

/** Six hours of quarter-hours from START. */
const push: IntervalBatch = {
  messageId: 'm-marks',
  headEndId: 'he',
  meteringPointId: POINT,
  direction: 'consumption',
  resolution: 'PT15M',
  sentAtMs: START + 7 * HOUR,
  intervals: Array.from({ length: 24 }, (_, i) => ({
    startMs: START + i * QUARTER,
    quantityWh: 200 + i,
    flags: [],
  })),
} as IntervalBatch;

describe('rollup marks and runs that never silently miss data', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  const rollupBucket = `t-rollups-${randomBytes(4).toString('hex')}`;
  let ledger: IoredisDirtyHours;
  /** A runner as the rollup service builds it: on the run lease, over `store`. */
  const leasedRunner = (store: RollupStore & typeof stack.influx = stack.influx) =>
    createRollupRunner({
      store,
      owners: new IoredisRegistryStore(
        stack.redis,
        redisKeys(stack.config.registry.redisPrefix).registry,
      ),
      ledger,
      readingsBucket: stack.config.influx.buckets.readings,
      rollupBucket,
      logger: stack.logger,
      unowned: new IoredisUnownedSeries(
        stack.redis,
        redisKeys(stack.config.registry.redisPrefix).rollupUnownedSeries,
      ),
      lease: new IoredisLease(
        stack.redis,
        redisKeys(stack.config.registry.redisPrefix).rollupRunLease,
      ),
    });
  /** While set, every mark the worker makes fails as an unreachable Redis would. */
  let redisDown = true;
  let markAttempts = 0;

  beforeAll(async () => {
    stack = await createTestStack('rollup-marks', { LUKEMA_INFLUX_BUCKET_ROLLUPS: rollupBucket });
    await stack.influx.ensureBucket({ name: rollupBucket, retentionSeconds: 0 });
    ledger = new IoredisDirtyHours(
      stack.redis,
      redisKeys(stack.config.registry.redisPrefix).rollupDirtyHours,
    );
    // The worker from the real wiring, its ledger failing while `redisDown`.
    pipeline = await startPipeline(stack, {
      wrapLedger: (real) => ({
        async mark(hours) {
          markAttempts++;
          if (redisDown) throw new EngineUnavailableError('redis', { context: { what: 'test' } });
          return real.mark(hours);
        },
      }),
    });
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([openContract(POINT, '300101', '2026-01-01')]),
    );
    await stack.contractsApplied();
  }, 120_000);

  afterAll(async () => {
    await pipeline?.stop();
    await stack?.influx.deleteBucket(rollupBucket).catch(() => undefined);
    await stack?.close();
  });

  it('retries the batch while the mark fails, commits once marked, and the rollups equal the raw sums', async () => {
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: POINT, value: codec.encode(push) },
    ]);
    // The chunk reached InfluxDB, its mark failed: the write is retried, nothing committed.
    await waitFor('the mark retried', () => markAttempts >= 3, { timeoutMs: 30_000 });
    expect(await stack.lag()).toBe(1);
    expect(await ledger.size()).toBe(0);
    redisDown = false;
    await waitFor('the batch committed', async () => (await stack.lag()) === 0);
    expect(await ledger.size()).toBe(6);
    expect((await leasedRunner().drain()).hours).toBe(6);
    const truth = await hourlyTruth(stack);
    expect(truth.size).toBe(6);
    expect(differences(truth, await storedHourly(stack, rollupBucket))).toEqual([]);
    console.log(
      `[rollup-marks] ${markAttempts} mark attempts, committed after Redis came back, 6 hours rolled up equal to raw`,
    );
  });

  it('a backfill and the service write rollups one at a time: a backfill beside a run is refused', async () => {
    // A service run stalled in its first write, holding the lease.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stalled = false;
    const slow: RollupStore & typeof stack.influx = Object.create(stack.influx);
    slow.writeLines = async (bucket: string, lines: readonly string[]) => {
      stalled = true;
      await gate;
      return stack.influx.writeLines(bucket, lines);
    };
    await leasedRunner().markRange(START, START + 6 * HOUR);
    const service = leasedRunner(slow).runOnce();
    await waitFor('the service run writing', () => stalled);
    // The backfill would rewrite the same windows from its own read: refused, nothing written.
    const busy = await leasedRunner()
      .backfill(START, START + 6 * HOUR)
      .catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(RollupBusyError);
    expect((busy as Error).message).toContain('another rollup run is writing rollups');
    // A second service instance leaves the marks alone meanwhile.
    expect((await leasedRunner().runOnce()).hours).toBe(0);
    expect(await ledger.size()).toBe(6);
    release();
    expect((await service).hours).toBe(6);
    expect(await ledger.size()).toBe(0);
    // The lease is free again: the backfill runs, and the rollups still equal the raw sums.
    expect((await leasedRunner().backfill(START, START + 6 * HOUR)).hours).toBe(6);
    expect(differences(await hourlyTruth(stack), await storedHourly(stack, rollupBucket))).toEqual(
      [],
    );
  });

  it('a series without an owner is left out of marketing and research on both paths, kept for grid planning', async () => {
    // Readings under a pseudonym the registry does not know (its contract gone).
    const orphan = 'f'.repeat(32);
    const period = { contractId: 'c', startMs: 0, endMs: null, pseudonym: orphan, area: '001xx' };
    const lines = new PointLines();
    await stack.influx.writeLines(stack.config.influx.buckets.readings, [
      lines.reading(period, 'consumption', 'PT1H', {
        startMs: START,
        quantityWh: 500,
        quality: 'measured',
        dataStatus: 'preliminary',
        flags: [],
      }),
    ]);
    await leasedRunner().backfill(START, START + HOUR);
    // The per-area rollups count it (in `unknown`, as its own customer)...
    const areas = await storedAreas(stack, rollupBucket, 'energy_area_1h');
    expect([...areas.keys()].filter((k) => k.startsWith('unknown|'))).toHaveLength(1);
    // ...and the one ObjectionFilter has the per-area path subtract it where the per-series
    // path drops it.
    const registry = new IoredisRegistryStore(
      stack.redis,
      redisKeys(stack.config.registry.redisPrefix).registry,
    );
    const filter = new ObjectionFilter(
      registry,
      new IoredisUnownedSeries(
        stack.redis,
        redisKeys(stack.config.registry.redisPrefix).rollupUnownedSeries,
      ),
    );
    const owned = [...(await storedHourly(stack, rollupBucket)).keys()]
      .map((k) => k.split('|')[0] as string)
      .filter((p) => p !== orphan);
    for (const purpose of ['marketing', 'market_research'] as const) {
      expect([...(await filter.objectors(purpose)).keys()]).toEqual([orphan]);
      expect(await filter.permitted(purpose, [orphan, ...owned])).toEqual(new Set(owned));
    }
    expect((await filter.objectors('grid_planning')).size).toBe(0);
    expect((await filter.permitted('grid_planning', [orphan])).has(orphan)).toBe(true);
  });
});

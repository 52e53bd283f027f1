import { randomBytes } from 'node:crypto';
import {
  type ContractEvent,
  type Granularity,
  type GuardedResult,
  groupId,
  guardedAggregates,
  PointLines,
} from '@lukema/core';
import { IoredisDirtyHours, IoredisRegistryStore, redisKeys } from '@lukema/platform';
import { createRollupRunner } from '@lukema/rollup';
import type { TestStack } from './test-stack.js';

const HOUR = 3_600_000;

export interface AnalyticsCustomer {
  readonly customerId: string;
  readonly pseudonym: string;
  readonly area: string;
  /** kWh per hour. */
  readonly hourlyKwh: number;
}

/**
 * Customers with one metering point each, registered as the registry keeps them (so the
 * objection filter resolves their pseudonyms) and hourly consumption written to the test
 * bucket from `fromMs` for `hours`.
 */
export async function analyticsPopulation(
  stack: TestStack,
  groups: ReadonlyArray<{
    area: string;
    hourlyKwh: readonly number[];
    /** A customer's id by index, to give one customer sites in several areas. */
    customerIds?: ReadonlyArray<string | undefined>;
  }>,
  fromMs: number,
  hours: number,
  /** A customer's kWh in hour `h` (undefined: no reading), by their index in their group. */
  shape?: (area: string, index: number, h: number, kwh: number) => number | undefined,
): Promise<AnalyticsCustomer[]> {
  const registry = new IoredisRegistryStore(
    stack.redis,
    `${stack.config.registry.redisPrefix}:registry`,
  );
  const lines = new PointLines();
  const written: string[] = [];
  const customers: AnalyticsCustomer[] = [];
  let n = 0;
  for (const { area, hourlyKwh, customerIds } of groups) {
    for (const [index, kwh] of hourlyKwh.entries()) {
      n += 1;
      const customerId = customerIds?.[index] ?? String(500_000 + n);
      const meteringPointId = `6430000000000${String(n).padStart(5, '0')}`;
      const pseudonym = randomBytes(16).toString('hex');
      const event: ContractEvent = {
        contractId: `K-${meteringPointId}`,
        customerId,
        siteId: `SITE-${n}`,
        postalCode: `${area.slice(0, 3)}00`,
        meteringPointIds: [meteringPointId],
        startDate: '2025-01-01',
        endDate: null,
        status: 'active',
        updatedAt: '2025-01-01T00:00:00Z',
      };
      await registry.putContract(
        {
          ...event,
          startMs: Date.UTC(2024, 11, 31, 22),
          endMs: null,
          pseudonyms: { [meteringPointId]: pseudonym },
          area,
        },
        undefined,
      );
      const period = { contractId: event.contractId, startMs: 0, endMs: null, pseudonym, area };
      for (let h = 0; h < hours; h++) {
        const value = shape ? shape(area, index, h, kwh) : kwh;
        if (value === undefined) continue;
        const interval = {
          startMs: fromMs + h * HOUR,
          quantityWh: value * 1000,
          quality: 'measured' as const,
          flags: [],
        };
        written.push(lines.reading(period, 'consumption', 'PT1H', interval));
      }
      customers.push({ customerId, pseudonym, area, hourlyKwh: kwh });
    }
  }
  await stack.influx.writeLines(stack.config.influx.buckets.readings, written);
  return customers;
}

/** Sets a customer's objections as the registry keeps them. */
export async function objectFor(stack: TestStack, customerId: string) {
  const registry = new IoredisRegistryStore(
    stack.redis,
    `${stack.config.registry.redisPrefix}:registry`,
  );
  await registry.setObjections(customerId, {
    directMarketing: true,
    marketResearch: true,
    updatedAt: '2026-11-01T00:00:00Z',
    source: 'dpo',
  });
}

/**
 * Rolls up `[fromMs, toMs)` into the stack's rollups bucket (created here) with the
 * product's rollup runner, as the rollup service would: the analysts' aggregates read it.
 */
export async function rollUp(stack: TestStack, fromMs: number, toMs: number) {
  const rollupBucket = stack.config.influx.buckets.rollups;
  await stack.influx.ensureBucket({ name: rollupBucket, retentionSeconds: 0 });
  const runner = createRollupRunner({
    store: stack.influx,
    owners: new IoredisRegistryStore(
      stack.redis,
      redisKeys(stack.config.registry.redisPrefix).registry,
    ),
    ledger: new IoredisDirtyHours(
      stack.redis,
      redisKeys(stack.config.registry.redisPrefix).rollupDirtyHours,
    ),
    readingsBucket: stack.config.influx.buckets.readings,
    rollupBucket,
    logger: stack.logger,
  });
  await runner.markRange(fromMs, toMs);
  return runner.drain();
}

/**
 * The guarded aggregates computed exactly from every customer's per-series rollups (no row
 * limit): the truth the API's per-area paths are compared with. `excluded` series count
 * as nobody's (objectors for marketing).
 */
export async function exactAggregates(
  stack: TestStack,
  customers: readonly AnalyticsCustomer[],
  q: {
    readonly fromMs: number;
    readonly toMs: number;
    readonly granularity: Granularity;
    readonly areaDigits: number;
    readonly areaPrefix?: string;
    readonly minGroupSize: number;
    readonly excluded?: ReadonlySet<string>;
  },
): Promise<GuardedResult> {
  const rows = await stack.influx.periodContributions(stack.config.influx.buckets.rollups, {
    fromMs: q.fromMs,
    toMs: q.toMs,
    granularity: q.granularity,
    ...(q.areaPrefix ? { areaPrefix: q.areaPrefix } : {}),
  });
  const owner = new Map(customers.map((c) => [c.pseudonym, c.customerId]));
  const excluded = q.excluded;
  const rule = { minGroupSize: q.minGroupSize, dominanceShare: 0.15 };
  // As the API does for a purpose that leaves series out: grid planning's withheld groups
  // are withheld too.
  const grid =
    excluded && excluded.size > 0
      ? guardedAggregates(
          rows,
          (p) => owner.get(p),
          { granularity: q.granularity, areaDigits: q.areaDigits },
          rule,
        )
      : undefined;
  return guardedAggregates(
    rows,
    (p) => (excluded?.has(p) ? undefined : owner.get(p)),
    {
      granularity: q.granularity,
      areaDigits: q.areaDigits,
      // The excluded series (objectors) are the left-out part the product holds to the rule.
      ...(excluded && excluded.size > 0
        ? {
            leftOutOf: (p: string) => (excluded.has(p) ? owner.get(p) : undefined),
            alsoWithheld: new Set((grid?.withheld ?? []).map((w) => groupId(w))),
          }
        : {}),
    },
    rule,
  );
}

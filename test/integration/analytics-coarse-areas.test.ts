import { randomBytes } from 'node:crypto';
import { type Granularity, guardedLoadProfile } from '@lukema/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnalyticsApi,
  closeAnalyticsApi,
  startAnalyticsApi,
} from '../support/analytics-api.js';
import {
  type AnalyticsCustomer,
  analyticsPopulation,
  exactAggregates,
  objectFor,
  rollUp,
} from '../support/analytics-population.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

// 28–30 November 2026 in Helsinki: three local days of hourly readings, 42 sites.
const DAY_START = Date.UTC(2026, 10, 27, 22);
const DAYS = 3;
const HOURS = 24 * DAYS;
const K = 7;
// Fewer than one coarse area's hours (20 series × 72 hours in 00xxx): the per-series read
// of the old coarse path was refused; the per-area rollups answer it.
const MAX_ROWS = 200;
const window = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + HOURS * 3_600_000).toISOString()}`;
const month = 'from=2026-11-01&to=2026-12-01';
const ones = (n: number) => Array.from({ length: n }, () => 1);
const lastIs = (id: string) => Array.from({ length: 10 }, (_, i) => (i === 9 ? id : undefined));

/** 101xx's first customer uses 10 kWh/h (dominates 10xxx); 031xx's first 2.5 on day 1. */
function shape(area: string, i: number, h: number, kwh: number): number | undefined {
  if (area === '101xx' && i === 0) return 10;
  if (area === '031xx' && i === 0 && h < 24) return 2.5;
  return kwh;
}

interface Answer {
  groups: Array<{ area: string; period: string; customers: number; totalKwh: number }>;
  withheld: Array<{ area: string; period: string; reason: string }>;
}

describe('coarser areas from the per-area rollups (real engines)', () => {
  let stack: TestStack;
  let analytics: AnalyticsApi;
  let call: AnalyticsApi['call'];
  let analyst = '';
  let customers: AnalyticsCustomer[] = [];
  const ask = async (query: string, purpose = 'grid_planning') => {
    const r = await call('GET', `/v1/analytics/aggregates?${query}`, { token: analyst, purpose });
    const body = (await r.json()) as Answer & { error?: string };
    expect(r.status, body.error).toBe(200);
    return body;
  };
  const key = (g: { area: string; period: string }) => `${g.area} ${g.period}`;
  const verdicts = (a: Answer) =>
    Object.fromEntries([
      ...a.groups.map((g) => [key(g), 'released']),
      ...a.withheld.map((w) => [key(w), w.reason]),
    ]);
  /** The exact computation from every customer's per-series value (no row limit here). */
  const exact = (
    granularity: Granularity,
    areaDigits: number,
    areaPrefix?: string,
    excluded: ReadonlySet<string> = new Set(),
  ) =>
    exactAggregates(stack, customers, {
      fromMs: DAY_START,
      toMs: DAY_START + HOURS * 3_600_000,
      granularity,
      areaDigits,
      ...(areaPrefix ? { areaPrefix } : {}),
      minGroupSize: K,
      excluded,
    });
  /** Same verdicts and kWh as exact; released customers a lower bound of the exact count. */
  const expectAsExact = (answer: Answer, truth: Awaited<ReturnType<typeof exact>>) => {
    expect(verdicts(answer)).toEqual(verdicts(truth));
    for (const g of answer.groups) {
      const t = truth.groups.find((e) => key(e) === key(g));
      expect(g.totalKwh).toBeCloseTo(t?.totalKwh ?? Number.NaN, 6);
      expect(g.customers).toBeGreaterThanOrEqual(K);
      expect(g.customers).toBeLessThanOrEqual(t?.customers ?? 0);
    }
  };

  beforeAll(async () => {
    stack = await createTestStack('analytics-coarse', {
      LUKEMA_ANALYTICS_MIN_GROUP_SIZE: String(K),
      LUKEMA_ANALYTICS_MAX_ROWS: String(MAX_ROWS),
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `t-coarse-rollups-${randomBytes(4).toString('hex')}`,
    });
    customers = await analyticsPopulation(
      stack,
      [
        // 00xxx: 20 equal sites, 10 a sub-area, of 19 customers (the last of each is one):
        // the bounds (≥ 10 customers, top ≤ 10 %) release it.
        { area: '001xx', hourlyKwh: ones(10), customerIds: lastIs('900003') },
        { area: '002xx', hourlyKwh: ones(10), customerIds: lastIs('900003') },
        // 03xxx: 10 customers, 5 a sub-area (bound 5 < k): released only by the exact count.
        { area: '031xx', hourlyKwh: ones(5) },
        { area: '032xx', hourlyKwh: ones(5) },
        // 10xxx: 10 customers, one at 10 kWh/h: 53 % of the total, dominated.
        { area: '101xx', hourlyKwh: ones(5) },
        { area: '102xx', hourlyKwh: ones(5) },
        // 20xxx: 8 sites but 6 customers (two have a site in each sub-area): below k,
        // though the sub-areas' counts (4 + 4) would add up to pass it.
        { area: '201xx', hourlyKwh: ones(4), customerIds: ['900001', '900002'] },
        { area: '202xx', hourlyKwh: ones(4), customerIds: ['900001', '900002'] },
      ],
      DAY_START,
      HOURS,
      shape,
    );
    await rollUp(stack, DAY_START, DAY_START + HOURS * 3_600_000);
    analytics = await startAnalyticsApi(stack, 'analyst-coarse', ['grid_planning', 'marketing']);
    ({ call, analyst } = analytics);
  }, 120_000);

  afterAll(async () => {
    await closeAnalyticsApi(analytics, stack);
  });

  it('gives the exact verdicts and kWh at 2 and 1 digits: released, below k, dominated', async () => {
    const two = await ask(`${month}&every=month&areaDigits=2`);
    expect(verdicts(two)).toEqual({
      '00xxx 2026-11': 'released',
      '03xxx 2026-11': 'released',
      '10xxx 2026-11': 'dominated-by-one-customer',
      '20xxx 2026-11': 'fewer-than-k-customers',
    });
    const truth = await exact('month', 2);
    expectAsExact(two, truth);
    // The exact count of 00xxx: 19 customers of 20 sites, the sum of sub-areas' counts over it.
    expect(truth.groups.find((g) => g.area === '00xxx')?.customers).toBe(19);
    const customersOf = (a: Answer, area: string) => a.groups.find((g) => g.area === area);
    // 00xxx from the bounds: the largest sub-area's count (19 in all); 03xxx exactly.
    expect(customersOf(two, '00xxx')).toMatchObject({ customers: 10, totalKwh: 20 * HOURS });
    expect(customersOf(two, '03xxx')).toMatchObject({ customers: 10, totalKwh: 10 * HOURS + 36 });
    const one = await ask(`${month}&every=month&areaDigits=1`);
    expectAsExact(one, await exact('month', 1));
    expect(customersOf(one, '0xxxx')).toMatchObject({ customers: 10, totalKwh: 30 * HOURS + 36 });
    console.log(
      `[analytics-coarse] month at 2 digits: ${JSON.stringify(verdicts(two))}; customers ${two.groups.map((g) => `${g.area}=${g.customers}`).join(' ')}`,
    );
  });

  it('holds an objector at the coarse level to the rule, as the exact computation does', async () => {
    const objector = customers.find((c) => c.area === '001xx') as AnalyticsCustomer;
    await objectFor(stack, objector.customerId);
    const marketing = await ask(`${month}&every=month&areaDigits=2`, 'marketing');
    expectAsExact(marketing, await exact('month', 2, undefined, new Set([objector.pseudonym])));
    // 00xxx's one objector would be grid planning's total minus marketing's: withheld, and
    // 03xxx with it (0xxxx minus 03xxx would give 00xxx).
    expect(marketing.withheld.find((g) => g.area === '00xxx')?.reason).toBe(
      'left-out-part-fails-rule',
    );
    expect(marketing.withheld.find((g) => g.area === '03xxx')?.reason).toBe(
      'complementary-suppression',
    );
    const grid = await ask(`${month}&every=month&areaDigits=2`);
    expect(grid.groups.find((g) => g.area === '00xxx')?.totalKwh).toBe(20 * HOURS);
  });

  it('applies complementary suppression at the coarse level, along areas and days', async () => {
    // Day 1: 03xxx dominated (21.7 %), so 00xxx goes too (0xxxx minus it would give 03xxx);
    // days 2 and 3 of 03xxx go with day 1 (November minus them would give it).
    const daily = await ask(`${window}&every=day&areaDigits=2`);
    expectAsExact(daily, await exact('day', 2));
    expect(
      daily.withheld.filter((w) => w.area.startsWith('0')).map((w) => `${key(w)} ${w.reason}`),
    ).toEqual([
      '00xxx 2026-11-28 complementary-suppression',
      '03xxx 2026-11-28 dominated-by-one-customer',
      '03xxx 2026-11-29 complementary-suppression',
      '03xxx 2026-11-30 complementary-suppression',
    ]);
  });

  it('answers the load profile at the coarse level from the area rollups as the exact one', async () => {
    const r = await call('GET', `/v1/analytics/load-profile?${month}&area=00&areaDigits=2`, {
      token: analyst,
      purpose: 'grid_planning',
    });
    expect(r.status).toBe(200);
    const profile = (await r.json()) as Answer;
    const rows = await stack.influx.periodContributions(stack.config.influx.buckets.rollups, {
      fromMs: DAY_START,
      toMs: DAY_START + HOURS * 3_600_000,
      granularity: 'hour',
      areaPrefix: '00',
    });
    const owner = new Map(customers.map((c) => [c.pseudonym, c.customerId]));
    const truth = guardedLoadProfile(
      rows,
      (p) => owner.get(p),
      { areaDigits: 2 },
      { minGroupSize: K, dominanceShare: 0.15 },
    );
    // 48 cells (Saturday and Sunday, then Monday): each 20 kWh in an hour of 00xxx.
    expect(profile.groups).toHaveLength(48);
    expectAsExact(profile, truth);
    expect(profile.groups.every((g) => g.totalKwh === 20 && g.customers === 10)).toBe(true);
  });

  it('answers an hourly coarse query the row limit refused before, and withholds a group it cannot decide', async () => {
    // 00xxx by hour: 1,440 per-series rows past the limit of 200; the bounds decide each hour.
    const hourly = await ask(`${window}&every=hour&area=00&areaDigits=2`);
    expect(hourly.groups).toHaveLength(HOURS);
    expect(hourly.withheld).toEqual([]);
    expect(hourly.groups.every((g) => g.totalKwh === 20 && g.customers === 10)).toBe(true);
    // 03xxx by hour: 5 a sub-area (undecided) and 720 rows to decide exactly: withheld.
    const undecided = await ask(`${window}&every=hour&area=03&areaDigits=2`);
    expect(undecided.groups).toEqual([]);
    expect(new Set(undecided.withheld.map((w) => w.reason))).toEqual(
      new Set(['undecided-past-row-limit']),
    );
    expect(undecided.withheld).toHaveLength(HOURS);
    // By day the same area's exact read (30 rows) fits: decided as the exact computation.
    expectAsExact(
      await ask(`${window}&every=day&area=03&areaDigits=2`),
      await exact('day', 2, '03'),
    );
    const audit = (await analytics.api.audit.records()).filter(
      (r) => r.action === 'analytics.query',
    );
    const withheldUndecided = audit.find((r) => r.details?.withheldUndecided === HOURS);
    expect(withheldUndecided?.details).toMatchObject({ areaDigits: 2, every: 'hour', area: '03' });
    console.log(
      `[analytics-coarse] 00xxx by hour (limit ${MAX_ROWS} rows): ${hourly.groups.length} released; 03xxx by hour: ${undecided.withheld.length} withheld undecided-past-row-limit`,
    );
  });
});

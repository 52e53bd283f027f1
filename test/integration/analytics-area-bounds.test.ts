import { randomBytes } from 'node:crypto';
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

// 28–30 November 2026 in Helsinki: three local days, so a month's group spans three daily
// area rollups and the k and dominance rules work from bounds (or fall back to exact).
const DAY_START = Date.UTC(2026, 10, 27, 22);
const DAYS = 3;
const HOURS = 24 * DAYS;
const K = 7;
const window = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + HOURS * 3_600_000).toISOString()}`;
// Months on the fixed period grid: the whole of November (the data are its last 3 days).
const month = 'from=2026-11-01&to=2026-12-01';
const ones = (n: number) => Array.from({ length: n }, () => 1);

/** Who consumes when: the population's shapes, by area (see each group's comment). */
function shape(area: string, i: number, h: number, kwh: number): number | undefined {
  const day = Math.floor(h / 24);
  if (area === '001xx') return Math.min(2, Math.floor(i / 3)) === day ? kwh : undefined;
  if (area === '113xx' && i === 0) return day === 0 ? 10 : 1;
  if (area === '005xx') return i === day ? 3 : 1;
  if (area === '020xx' && i === 0 && day === 0) return 3;
  return kwh;
}

interface Answer {
  groups: Array<{ area: string; period: string; customers: number; totalKwh: number }>;
  withheld: Array<{ area: string; period: string; reason: string }>;
}

describe('k and dominance from the per-area rollups, over several windows', () => {
  let stack: TestStack;
  let analytics: AnalyticsApi;
  let call: AnalyticsApi['call'];
  let analyst = '';
  let customers: AnalyticsCustomer[] = [];
  const ask = async (path: string, purpose: string) => {
    const r = await call('GET', path, { token: analyst, purpose });
    expect(r.status).toBe(200);
    return (await r.json()) as Answer;
  };
  /** The verdicts as the exact computation (every customer's value) gives them. */
  const exact = async (excluded: ReadonlySet<string> = new Set()) =>
    verdicts(
      await exactAggregates(stack, customers, {
        fromMs: DAY_START,
        toMs: DAY_START + HOURS * 3_600_000,
        granularity: 'month',
        areaDigits: 3,
        minGroupSize: K,
        excluded,
      }),
    );
  const verdicts = (a: Answer) =>
    Object.fromEntries([
      ...a.groups.map((g) => [g.area, `released(${g.customers})`]),
      ...a.withheld.map((w) => [w.area, w.reason]),
    ]);

  beforeAll(async () => {
    stack = await createTestStack('analytics-area', {
      LUKEMA_ANALYTICS_MIN_GROUP_SIZE: String(K),
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `t-area-rollups-${randomBytes(4).toString('hex')}`,
    });
    customers = await analyticsPopulation(
      stack,
      [
        // 7 customers, at most 3 on any one day: the bound (3) says nothing, exact says k.
        { area: '001xx', hourlyKwh: ones(K) },
        // The withheld groups sit under 1xxxx, apart from the released ones under 0xxxx, so
        // no complementary suppression enters this comparison of bounds and exact verdicts.
        // 6 customers every day: below k.
        { area: '112xx', hourlyKwh: ones(K - 1) },
        // 8 customers; one uses 10 kWh/h on the first day: 32 % of the month, dominated.
        { area: '113xx', hourlyKwh: ones(K + 1) },
        // 10 equal customers every day: the bounds release it without a per-series read.
        { area: '004xx', hourlyKwh: ones(10) },
        // 12 customers, a different one at 3 kWh/h each day: the windows' largest sum to
        // 21 % (undecided), but no one holds more than 12 % of the month: released.
        { area: '005xx', hourlyKwh: ones(12) },
        // 12 customers, one at 3 kWh/h on the first day: that day is dominated (21 %), the
        // others and the month (13 %) pass; the month minus days 2 and 3 would be day 1.
        { area: '020xx', hourlyKwh: ones(12) },
      ],
      DAY_START,
      HOURS,
      shape,
    );
    await rollUp(stack, DAY_START, DAY_START + HOURS * 3_600_000);
    analytics = await startAnalyticsApi(stack, 'analyst-area', ['grid_planning', 'marketing']);
    ({ call, analyst } = analytics);
  }, 120_000);

  afterAll(async () => {
    await closeAnalyticsApi(analytics, stack);
  });

  it('gives the same verdicts as the exact computation: k-1 withheld, k returned, dominated withheld', async () => {
    const body = await ask(`/v1/analytics/aggregates?${month}&every=month`, 'grid_planning');
    const got = verdicts(body);
    expect(got).toEqual({
      '001xx': `released(${K})`,
      '112xx': 'fewer-than-k-customers',
      '113xx': 'dominated-by-one-customer',
      '004xx': 'released(10)',
      '005xx': 'released(12)',
      '020xx': 'released(12)',
    });
    expect(got).toEqual(await exact());
    const total = (area: string) => body.groups.find((g) => g.area === area)?.totalKwh;
    expect(total('004xx')).toBe(10 * HOURS);
    expect(total('005xx')).toBe(12 * HOURS + 2 * 24 * DAYS);
    console.log(`[analytics-area] month over 3 daily area rollups: ${JSON.stringify(got)}`);
  });

  it("holds an objector's group for marketing to the rule as the exact computation does, and keeps them for grid planning", async () => {
    const objector = customers.find((c) => c.area === '004xx') as AnalyticsCustomer;
    await objectFor(stack, objector.customerId);
    const marketing = await ask(`/v1/analytics/aggregates?${month}&every=month`, 'marketing');
    const got = verdicts(marketing);
    // 9 customers are left, but grid planning's 004xx minus marketing's would be the one
    // objector's total (analytics-left-out shows the subtraction where enough object).
    expect(got['004xx']).toBe('left-out-part-fails-rule');
    expect(got).toEqual(await exact(new Set([objector.pseudonym])));
    const grid = await ask(`/v1/analytics/aggregates?${month}&every=month`, 'grid_planning');
    expect(verdicts(grid)['004xx']).toBe('released(10)');
    // Daily groups are single windows: the objector's part is held to the rule there too.
    const daily = await ask(`/v1/analytics/aggregates?${window}&every=day&area=004`, 'marketing');
    expect(daily.groups).toEqual([]);
    expect(daily.withheld.map((w) => w.reason)).toEqual(
      Array.from({ length: 3 }, () => 'left-out-part-fails-rule'),
    );
    console.log(`[analytics-area] marketing with one objector in 004xx: ${JSON.stringify(got)}`);
  });

  it('withholds released days too when the month minus them would give a withheld day, at both levels', async () => {
    const days = (a: Answer) => a.withheld.map((w) => `${w.period} ${w.reason}`);
    // The per-area rollups at their own level (3 digits) and merged (2 digits, 02xxx = 020xx).
    const three = await ask(
      `/v1/analytics/aggregates?${window}&every=day&area=020`,
      'grid_planning',
    );
    const two = await ask(
      `/v1/analytics/aggregates?${window}&every=day&area=02&areaDigits=2`,
      'grid_planning',
    );
    for (const answer of [three, two]) {
      expect(answer.groups).toEqual([]);
      // Day 1 alone fails; with day 2 its largest customer still holds 15.4 %: day 3 goes too.
      expect(days(answer)).toEqual([
        '2026-11-28 dominated-by-one-customer',
        '2026-11-29 complementary-suppression',
        '2026-11-30 complementary-suppression',
      ]);
    }
    const monthly = await ask(
      `/v1/analytics/aggregates?${month}&every=month&area=020`,
      'grid_planning',
    );
    expect(monthly.groups.map((g) => g.totalKwh)).toEqual([12 * HOURS + 2 * 24]);
    console.log(`[analytics-area] 020xx by day: ${days(three).join('; ')}`);
  });
});

import { randomBytes } from 'node:crypto';
import { createRightsApi } from '@lukema/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnalyticsCustomer,
  analyticsPopulation,
  objectFor,
  rollUp,
} from '../support/analytics-population.js';
import { apiClient } from '../support/api-client.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

// 28 November 2026, 00:00 in Helsinki: one local day of hourly readings.
const DAY_START = Date.UTC(2026, 10, 27, 22);
const HOURS = 24;
const window = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + HOURS * 3_600_000).toISOString()}`;
const ones = (n: number) => Array.from({ length: n }, () => 1);

interface Answer {
  groups: Array<{ area: string; customers: number; totalKwh: number }>;
  withheld: Array<{ area: string; reason: string }>;
}

/**
 * Grid planning counts every customer; marketing leaves out the objectors. Asked for both,
 * a group's grid total minus its marketing total is its objectors' total: the left-out part
 * must pass the rule (k = 5, 15 %) as well, on the per-area path (the default) and the
 * per-series one (percentiles).
 */
describe('the part of a group marketing leaves out, on the real engines', () => {
  let stack: TestStack;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  let analyst = '';
  let customers: AnalyticsCustomer[] = [];
  const ask = async (query: string, purpose: string) => {
    const r = await call('GET', `/v1/analytics/aggregates?${window}${query}`, {
      token: analyst,
      purpose,
    });
    expect(r.status).toBe(200);
    return (await r.json()) as Answer;
  };
  const released = (a: Answer, area: string) => a.groups.find((g) => g.area === area);
  const withheld = (a: Answer, area: string) => a.withheld.find((g) => g.area === area)?.reason;

  beforeAll(async () => {
    stack = await createTestStack('analytics-left-out', {
      LUKEMA_ANALYTICS_MIN_GROUP_SIZE: '5',
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `t-left-out-rollups-${randomBytes(4).toString('hex')}`,
    });
    customers = await analyticsPopulation(
      stack,
      [
        { area: '001xx', hourlyKwh: ones(8) }, // one objector: 7 left, 1 left out
        { area: '002xx', hourlyKwh: ones(14) }, // seven objectors: 7 left, 7 left out
        { area: '110xx', hourlyKwh: ones(9) }, // two objectors, alone under 11xxx and 1xxxx
        // Under 52xxx: one customer who objected, 10 who did not, 14 of whom 7 objected.
        { area: '521xx', hourlyKwh: ones(1) },
        { area: '522xx', hourlyKwh: ones(10) },
        { area: '523xx', hourlyKwh: ones(14) },
      ],
      DAY_START,
      HOURS,
    );
    await rollUp(stack, DAY_START, DAY_START + HOURS * 3_600_000);
    const objectors = [
      ...customers.filter((c) => c.area === '001xx').slice(0, 1),
      ...customers.filter((c) => c.area === '002xx').slice(0, 7),
      ...customers.filter((c) => c.area === '110xx').slice(0, 2),
      ...customers.filter((c) => c.area === '521xx'),
      ...customers.filter((c) => c.area === '523xx').slice(0, 7),
    ];
    for (const o of objectors) await objectFor(stack, o.customerId);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    analyst = await api.tokens.create('analyst-left-out', 'analyst', [
      'grid_planning',
      'marketing',
    ]);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await stack?.influx.deleteBucket(stack.config.influx.buckets.rollups).catch(() => undefined);
    await stack?.close();
  });

  for (const [path, query] of [
    ['the per-area rollups', ''],
    ['the per-series rollups', '&percentiles=true'],
  ] as const) {
    it(`withholds a marketing group whose objectors would fail the rule, and its sibling, from ${path}`, async () => {
      const grid = await ask(query, 'grid_planning');
      expect(released(grid, '001xx')?.customers).toBe(8);
      expect(released(grid, '002xx')?.customers).toBe(14);
      expect(released(grid, '110xx')?.customers).toBe(9);
      const marketing = await ask(query, 'marketing');
      // 7 customers left in each: each group passes on its own figures. But 001xx's one
      // objector and 110xx's two would be grid minus marketing.
      expect(withheld(marketing, '001xx')).toBe('left-out-part-fails-rule');
      expect(withheld(marketing, '110xx')).toBe('left-out-part-fails-rule');
      // 002xx's seven objectors pass alone, but 00xxx's marketing total minus 002xx's would
      // give 001xx's, so 002xx is withheld with it.
      expect(withheld(marketing, '002xx')).toBe('complementary-suppression');
      expect(marketing.groups).toEqual([]);
      // Grid planning withholds 521xx (one customer) and, as its complement, 522xx. Had
      // marketing released 522xx (no objector in it), grid's 52xxx − 523xx − marketing's
      // 522xx would be 521xx's objector: what grid planning withholds, marketing does too.
      expect(withheld(grid, '521xx')).toBe('fewer-than-k-customers');
      expect(withheld(grid, '522xx')).toBe('complementary-suppression');
      expect(withheld(marketing, '522xx')).toBe('complementary-suppression');
      expect(withheld(marketing, '523xx')).toBe('complementary-suppression');
      // At two digits the objectors of 00xxx (8 alike) pass: released without them (the
      // per-area path states a lower bound of the customers, the per-series one the count).
      const coarse = await ask(`${query}&areaDigits=2`, 'marketing');
      expect(released(coarse, '00xxx')?.totalKwh).toBe(14 * HOURS);
      expect(withheld(coarse, '11xxx')).toBe('left-out-part-fails-rule');
      console.log(
        `[analytics-left-out] ${path}: grid 001xx/002xx/110xx released (8/14/9 customers); marketing withheld ${marketing.withheld.map((w) => `${w.area} ${w.reason}`).join(', ')}; at 2 digits 00xxx released with 14`,
      );
    });
  }
});

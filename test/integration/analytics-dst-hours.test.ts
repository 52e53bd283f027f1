import { randomBytes } from 'node:crypto';
import { createRightsApi } from '@lukema/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsPopulation, rollUp } from '../support/analytics-population.js';
import { apiClient } from '../support/api-client.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

// 25 October 2026 in Helsinki: clocks go back at 04:00 EEST, so the local day has 25 hours
// and 03:00 comes twice (00:00Z as EEST, 01:00Z as EET). It starts 24 October 21:00Z.
const DAY_START = Date.UTC(2026, 9, 24, 21);
const HOURS = 25;
// Seven equal customers: at k, and each under the 15 % dominance share.
const K = 7;
const window = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + HOURS * 3_600_000).toISOString()}`;

interface Answer {
  groups: Array<{ area: string; period: string; customers: number; totalKwh: number }>;
}

describe('hourly analytics across the autumn clock change on the real engines', () => {
  let stack: TestStack;
  let api: ReturnType<typeof createRightsApi>;
  let ask: (path: string) => Promise<Answer>;

  beforeAll(async () => {
    stack = await createTestStack('analytics-dst', {
      LUKEMA_ANALYTICS_MIN_GROUP_SIZE: String(K),
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `t-analytics-dst-${randomBytes(4).toString('hex')}`,
    });
    await analyticsPopulation(
      stack,
      [{ area: '001xx', hourlyKwh: Array.from({ length: K }, () => 1) }],
      DAY_START,
      HOURS,
    );
    await rollUp(stack, DAY_START, DAY_START + HOURS * 3_600_000);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    const call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    const token = await api.tokens.create('analyst-dst', 'analyst', ['grid_planning']);
    ask = async (path) => {
      const r = await call('GET', path, { token, purpose: 'grid_planning' });
      expect(r.status).toBe(200);
      return (await r.json()) as Answer;
    };
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await stack?.influx.deleteBucket(stack.config.influx.buckets.rollups).catch(() => undefined);
    await stack?.close();
  });

  it('gives the 25-hour day 25 hours, the repeated 03:00 twice with its offset', async () => {
    const hourly = await ask(`/v1/analytics/aggregates?${window}&every=hour&area=001`);
    const periods = hourly.groups.map((g) => g.period);
    console.log(`[analytics-dst] ${periods.length} hours: ${periods.slice(2, 6).join(' ')}`);
    expect(periods).toHaveLength(HOURS);
    // In time order: the 03:00 of summer time (00:00Z) before the 03:00 of winter time.
    expect(periods.slice(2, 6)).toEqual([
      '2026-10-25T02:00+03:00',
      '2026-10-25T03:00+03:00',
      '2026-10-25T03:00+02:00',
      '2026-10-25T04:00+02:00',
    ]);
    expect(hourly.groups.every((g) => g.customers === K && g.totalKwh === K)).toBe(true);
    const daily = await ask(`/v1/analytics/aggregates?${window}&every=day&area=001`);
    expect(daily.groups).toMatchObject([{ period: '2026-10-25', totalKwh: K * HOURS }]);
  });
});

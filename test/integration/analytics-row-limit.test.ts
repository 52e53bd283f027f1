import { randomBytes } from 'node:crypto';
import { createRightsApi } from '@lukema/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsPopulation, rollUp } from '../support/analytics-population.js';
import { apiClient } from '../support/api-client.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

// 28 November 2026, 00:00 in Helsinki: one local day of hourly readings.
const DAY_START = Date.UTC(2026, 10, 27, 22);
const HOURS = 24;
const MAX_ROWS = 100;
const window = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + HOURS * 3_600_000).toISOString()}`;

describe('per-series analytics reads are bounded (real engines)', () => {
  let stack: TestStack;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  let analyst = '';

  beforeAll(async () => {
    stack = await createTestStack('analytics-rows', {
      LUKEMA_ANALYTICS_MAX_ROWS: String(MAX_ROWS),
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `t-analytics-rows-${randomBytes(4).toString('hex')}`,
    });
    // Two areas of eight customers (12.5 % each, under the dominance share): 16 series x 24
    // hours = 384 hourly rows, 16 daily rows.
    const eight = Array.from({ length: 8 }, () => 1);
    await analyticsPopulation(
      stack,
      [
        { area: '001xx', hourlyKwh: eight },
        { area: '002xx', hourlyKwh: eight },
      ],
      DAY_START,
      HOURS,
    );
    await rollUp(stack, DAY_START, DAY_START + HOURS * 3_600_000);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    analyst = await api.tokens.create('analyst-rows', 'analyst', [
      'grid_planning',
      'market_research',
    ]);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await stack?.influx.deleteBucket(stack.config.influx.buckets.rollups).catch(() => undefined);
    await stack?.close();
  });

  it('refuses a coarse-area read past the row limit with advice, and answers the same area by day', async () => {
    const ask = async (query: string) => {
      const r = await call('GET', `/v1/analytics/aggregates?${window}&areaDigits=2&${query}`, {
        token: analyst,
        purpose: 'grid_planning',
      });
      return { status: r.status, body: (await r.json()) as { error?: string; groups?: unknown[] } };
    };
    const hourly = await ask('every=hour');
    expect(hourly.status).toBe(400);
    expect(hourly.body.error).toContain(`more than ${MAX_ROWS} per-series rows`);
    expect(hourly.body.error).toContain('areaDigits=3');
    const daily = await ask('every=day');
    expect(daily.status).toBe(200);
    expect(daily.body.groups).toHaveLength(1);
    console.log(
      `[analytics-rows] every=hour: ${hourly.status} ${hourly.body.error}; every=day: ${daily.status}, ${daily.body.groups?.length} group`,
    );
    // The API is still answering after the abandoned read.
    expect((await ask('every=day')).status).toBe(200);
  });

  it("gives the customers' percentiles when asked, from the series, and never to market research", async () => {
    const ask = async (query: string, purpose = 'grid_planning') => {
      const r = await call('GET', `/v1/analytics/aggregates?${window}&every=day&${query}`, {
        token: analyst,
        purpose,
      });
      return {
        status: r.status,
        body: (await r.json()) as {
          error?: string;
          groups?: Array<{
            area: string;
            customers: number;
            totalKwh: number;
            p50Kwh?: number;
            p90Kwh?: number;
          }>;
        },
      };
    };
    // The areas' own level answers from the per-area rollups: no per-customer values.
    const plain = await ask('areaDigits=3');
    expect(plain.status).toBe(200);
    expect(plain.body.groups?.map((g) => g.p50Kwh)).toEqual([undefined, undefined]);
    // Asked for, the same groups come from the customers' rollups, with the percentiles:
    // eight customers of 1 kWh an hour, 24 kWh each on the day.
    const exact = await ask('areaDigits=3&percentiles=true');
    expect(exact.status).toBe(200);
    expect(
      exact.body.groups?.map((g) => [g.area, g.customers, g.totalKwh, g.p50Kwh, g.p90Kwh]),
    ).toEqual([
      ['001xx', 8, 192, 24, 24],
      ['002xx', 8, 192, 24, 24],
    ]);
    const noisy = await ask('areaDigits=3&percentiles=true', 'market_research');
    expect(noisy.status).toBe(400);
    expect(noisy.body.error).toContain('never percentiles');
    console.log(
      `[analytics-rows] percentiles: ${JSON.stringify(exact.body.groups?.[0])}; market research: ${noisy.status}`,
    );
  });
});

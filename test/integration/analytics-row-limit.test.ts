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
    // Two areas of six customers: 12 series x 24 hours = 288 hourly rows, 12 daily rows.
    const six = Array.from({ length: 6 }, () => 1);
    await analyticsPopulation(
      stack,
      [
        { area: '001xx', hourlyKwh: six },
        { area: '002xx', hourlyKwh: six },
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
    analyst = await api.tokens.create('analyst-rows', 'analyst', ['grid_planning']);
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
});

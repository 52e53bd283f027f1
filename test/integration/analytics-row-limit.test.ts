import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnalyticsApi,
  closeAnalyticsApi,
  startAnalyticsApi,
} from '../support/analytics-api.js';
import { analyticsPopulation, rollUp } from '../support/analytics-population.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

// 28 November 2026, 00:00 in Helsinki: one local day of hourly readings.
const DAY_START = Date.UTC(2026, 10, 27, 22);
const HOURS = 24;
const MAX_ROWS = 100;
const window = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + HOURS * 3_600_000).toISOString()}`;

describe('per-series analytics reads are bounded (real engines)', () => {
  let stack: TestStack;
  let analytics: AnalyticsApi;
  let call: AnalyticsApi['call'];
  let analyst = '';

  beforeAll(async () => {
    stack = await createTestStack('analytics-rows', {
      LUKEMA_ANALYTICS_MAX_ROWS: String(MAX_ROWS),
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `t-analytics-rows-${randomBytes(4).toString('hex')}`,
    });
    // Two areas of ten customers: 20 series x 24 hours = 480 hourly rows, 20 daily rows.
    const ten = Array.from({ length: 10 }, () => 1);
    await analyticsPopulation(
      stack,
      [
        { area: '001xx', hourlyKwh: ten },
        { area: '002xx', hourlyKwh: ten },
      ],
      DAY_START,
      HOURS,
    );
    await rollUp(stack, DAY_START, DAY_START + HOURS * 3_600_000);
    analytics = await startAnalyticsApi(stack, 'analyst-rows', [
      'grid_planning',
      'market_research',
    ]);
    ({ call, analyst } = analytics);
  }, 120_000);

  afterAll(async () => {
    await closeAnalyticsApi(analytics, stack);
  });

  it('answers a coarse area by hour from the area rollups, and refuses a per-series read past the limit with advice', async () => {
    const ask = async (path: string, purpose = 'grid_planning') => {
      const r = await call('GET', path, { token: analyst, purpose });
      return { status: r.status, body: (await r.json()) as { error?: string; groups?: unknown[] } };
    };
    // 480 per-series rows, refused before: the per-area rollups answer it (24 hours of 00xxx).
    const hourly = await ask(`/v1/analytics/aggregates?${window}&areaDigits=2&every=hour`);
    expect(hourly.status).toBe(200);
    expect(hourly.body.groups).toHaveLength(HOURS);
    // Market research's load profile still reads the series (its clamp is per customer).
    const profile = await ask(
      '/v1/analytics/load-profile?from=2026-11-01&to=2026-12-01&areaDigits=2',
      'market_research',
    );
    expect(profile.status).toBe(400);
    expect(profile.body.error).toContain(`more than ${MAX_ROWS} per-series rows`);
    expect(profile.body.error).toContain('shorter range');
    console.log(
      `[analytics-rows] every=hour at 2 digits: ${hourly.status}, ${hourly.body.groups?.length} groups; market research load profile: ${profile.status} ${profile.body.error}`,
    );
    // An area filter finer than the groups is refused (it would label 001xx as 00xxx).
    const finer = await ask(`/v1/analytics/aggregates?${window}&areaDigits=2&area=001xx`);
    expect(finer.status).toBe(400);
    expect(finer.body.error).toContain('finer than areaDigits=2');
    // The API is still answering after the abandoned read.
    expect((await ask(`/v1/analytics/aggregates?${window}&areaDigits=2&every=day`)).status).toBe(
      200,
    );
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
    // ten customers of 1 kWh an hour, 24 kWh each on the day.
    const exact = await ask('areaDigits=3&percentiles=true');
    expect(exact.status).toBe(200);
    expect(
      exact.body.groups?.map((g) => [g.area, g.customers, g.totalKwh, g.p50Kwh, g.p90Kwh]),
    ).toEqual([
      ['001xx', 10, 240, 24, 24],
      ['002xx', 10, 240, 24, 24],
    ]);
    // The series are read under the row limit: 480 hourly rows are past it.
    const hourly = await call(
      'GET',
      `/v1/analytics/aggregates?${window}&every=hour&percentiles=true`,
      { token: analyst, purpose: 'grid_planning' },
    );
    expect(hourly.status).toBe(400);
    const noisy = await ask('areaDigits=3&percentiles=true', 'market_research');
    expect(noisy.status).toBe(400);
    expect(noisy.body.error).toContain('never percentiles');
    console.log(
      `[analytics-rows] percentiles: ${JSON.stringify(exact.body.groups?.[0])}; market research: ${noisy.status}`,
    );
  });
});

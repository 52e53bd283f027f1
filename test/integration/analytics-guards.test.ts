import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

// 28 November 2026, 00:00 in Helsinki (EET, UTC+2): one local day of hourly readings.
const DAY_START = Date.UTC(2026, 10, 27, 22);
const HOURS = 24;
const K = 7;
const window = `from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + HOURS * 3_600_000).toISOString()}`;
// The load profile takes whole local months (the fixed period grid): November 2026.
const month = 'from=2026-11-01&to=2026-12-01';
const EPSILON = 0.5;
const BUDGET = 1.5;
const ones = (n: number) => Array.from({ length: n }, () => 1);

interface Answer {
  groups: Array<{
    area: string;
    period: string;
    customers: number;
    totalKwh: number;
    meanKwh: number;
  }>;
  withheld: Array<{ area: string; period: string; reason: string }>;
  merge?: { areaDigits: number; advice: string };
  rule: { minGroupSize: number; dominancePercent: number };
}

describe('guarded aggregates for analysts on the real engines', () => {
  let stack: TestStack;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  let analyst = '';
  let apiUrl = '';
  let customers: AnalyticsCustomer[] = [];
  const ask = async (path: string, purpose: string) => {
    const r = await call('GET', path, { token: analyst, purpose });
    return { status: r.status, body: (await r.json()) as Answer };
  };
  /** `npm run analytics` against this API with the analyst's token. */
  const analyticsCli = (args: string[]) =>
    run(`${root}node_modules/.bin/tsx`, [`${root}services/api/src/cli-analytics.ts`, ...args], {
      env: { ...process.env, ...stack.env, LUKEMA_API_URL: apiUrl, LUKEMA_API_TOKEN: analyst },
    });
  const released = (a: Answer, area: string) => a.groups.find((g) => g.area === area);
  const withheld = (a: Answer, area: string) => a.withheld.find((g) => g.area === area)?.reason;

  beforeAll(async () => {
    // k from config: 7, so a group of 7 equal customers (14.3 % each) is exactly at k and
    // under the 15 % dominance share.
    stack = await createTestStack('analytics', {
      LUKEMA_ANALYTICS_MIN_GROUP_SIZE: String(K),
      LUKEMA_DP_EPSILON: String(EPSILON),
      LUKEMA_DP_BUDGET: String(BUDGET),
      LUKEMA_DP_CLAMP_KWH: '50',
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `t-analytics-rollups-${randomBytes(4).toString('hex')}`,
    });
    customers = await analyticsPopulation(
      stack,
      [
        { area: '001xx', hourlyKwh: ones(K) }, // at k: returned
        { area: '002xx', hourlyKwh: ones(K - 1) }, // below k: withheld
        { area: '004xx', hourlyKwh: ones(K) }, // one objector: below k for marketing
        { area: '110xx', hourlyKwh: [10, ...ones(K)] }, // dominated by one customer
        // 10 small customers: the smallest sibling of 002xx, withheld with it (complementary).
        { area: '005xx', hourlyKwh: Array.from({ length: 10 }, () => 0.5) },
      ],
      DAY_START,
      HOURS,
    );
    // The aggregates read the rollups: roll the day up as the rollup service does.
    await rollUp(stack, DAY_START, DAY_START + HOURS * 3_600_000);
    const objector = customers.find((c) => c.area === '004xx');
    if (!objector) throw new Error('no customer in 004xx');
    await objectFor(stack, objector.customerId);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    analyst = await api.tokens.create('analyst-1', 'analyst', [
      'grid_planning',
      'marketing',
      'market_research',
    ]);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await stack?.influx.deleteBucket(stack.config.influx.buckets.rollups).catch(() => undefined);
    await stack?.close();
  });

  it('withholds a group below k and a dominated group, returns one at k, on Finnish local days', async () => {
    const { status, body } = await ask(
      `/v1/analytics/aggregates?${window}&every=day`,
      'grid_planning',
    );
    expect(status).toBe(200);
    expect(body.rule).toEqual({ minGroupSize: K, dominancePercent: 15 });
    // One local day, labelled by its start (the UTC windows would give 27 and 28 November).
    expect(released(body, '001xx')).toMatchObject({
      period: '2026-11-28',
      customers: K,
      totalKwh: K * HOURS,
    });
    expect(released(body, '004xx')).toMatchObject({ customers: K, totalKwh: K * HOURS });
    expect(withheld(body, '002xx')).toBe('fewer-than-k-customers');
    expect(withheld(body, '110xx')).toBe('dominated-by-one-customer');
    expect(body.merge?.areaDigits).toBe(2);
    console.log(
      `[analytics] k=${K}: released ${body.groups.map((g) => `${g.area}(${g.customers})`).join(' ')}; withheld ${body.withheld.map((w) => `${w.area}:${w.reason}`).join(' ')}`,
    );
  });

  it('merges withheld areas into the coarser level when asked', async () => {
    const { body } = await ask(`/v1/analytics/aggregates?${window}&areaDigits=2`, 'grid_planning');
    // From the per-area rollups: kWh exact, customers the largest sub-area's count (a lower
    // bound of the 3 K - 1 + 10 there are: a customer may have sites in two sub-areas).
    expect(released(body, '00xxx')).toMatchObject({
      customers: 10,
      totalKwh: (3 * K - 1) * HOURS + 10 * 0.5 * HOURS,
    });
    expect(withheld(body, '11xxx')).toBe('dominated-by-one-customer');
  });

  it('withholds a released sibling too, so the 2-digit total minus the released areas is no withheld group', async () => {
    const { body: three } = await ask(`/v1/analytics/aggregates?${window}`, 'grid_planning');
    const { body: two } = await ask(
      `/v1/analytics/aggregates?${window}&areaDigits=2`,
      'grid_planning',
    );
    // 002xx alone (6 customers) would be 00xxx − 001xx − 004xx − 005xx: 005xx goes with it.
    expect(withheld(three, '005xx')).toBe('complementary-suppression');
    const children = three.groups.filter((g) => g.area.startsWith('00'));
    expect(children.map((g) => g.area)).toEqual(['001xx', '004xx']);
    const difference =
      (released(two, '00xxx')?.totalKwh ?? 0) - children.reduce((s, g) => s + g.totalKwh, 0);
    // 6 × 24 kWh of 002xx plus 10 × 12 kWh of 005xx: 10 customers, none above 15 %.
    expect(difference).toBeCloseTo((K - 1) * HOURS + 10 * 0.5 * HOURS);
    console.log(
      `[analytics] 00xxx ${released(two, '00xxx')?.totalKwh} kWh minus released ${children.map((g) => `${g.area} ${g.totalKwh}`).join(', ')} = ${difference} kWh: 002xx (${(K - 1) * HOURS}) and 005xx together, not 002xx alone`,
    );
  });

  it('refuses a window off the Europe/Helsinki grid of its periods, naming the aligned one, also in the CLI', async () => {
    const half = `from=2026-11-01&to=2026-11-16&every=month`;
    const r = await call('GET', `/v1/analytics/aggregates?${half}`, {
      token: analyst,
      purpose: 'grid_planning',
    });
    expect(r.status).toBe(400);
    const { error } = (await r.json()) as { error: string };
    expect(error).toMatch(
      /Europe\/Helsinki month boundaries.*from=2026-11-01T00:00\+02:00 to=2026-12-01T00:00\+02:00/,
    );
    const profile = await call('GET', `/v1/analytics/load-profile?${window}`, {
      token: analyst,
      purpose: 'grid_planning',
    });
    expect(profile.status).toBe(400);
    const invalid = await call('GET', `/v1/analytics/aggregates?${window}&every=week`, {
      token: analyst,
      purpose: 'grid_planning',
    });
    expect(invalid.status).toBe(400);
    const cli = await analyticsCli([
      'aggregates',
      '--purpose',
      'grid_planning',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-16',
      '--every',
      'month',
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(cli).toMatchObject({ code: 2 });
    expect((cli as { stderr: string }).stderr).toContain(error);
    console.log(`[analytics] off-grid window: 400 ${error}`);
  });

  it('excludes an objector for marketing and research, also from the k count, and keeps them for grid planning', async () => {
    for (const purpose of ['marketing', 'market_research']) {
      const { body } = await ask(`/v1/analytics/aggregates?${window}`, purpose);
      expect(withheld(body, '004xx')).toBe('fewer-than-k-customers');
      // The withheld groups under 00xxx hold one objector, whom no sibling's left-out part
      // joins: grid planning's totals minus these would give that objector's. So every
      // released sibling under 00xxx is withheld too (see analytics-left-out for the rule).
      expect(withheld(body, '001xx')).toBe('complementary-suppression');
      expect(withheld(body, '005xx')).toBe('complementary-suppression');
      // Outside that family (110xx is dominated, its own), nothing changes.
      expect(withheld(body, '110xx')).toBe('dominated-by-one-customer');
    }
    const { body } = await ask(`/v1/analytics/aggregates?${window}`, 'grid_planning');
    expect(released(body, '004xx')?.customers).toBe(K);
    expect(released(body, '001xx')?.customers).toBe(K);
  });

  it('gives hourly totals and a load profile by local hour, and CSV', async () => {
    const hourly = await ask(
      `/v1/analytics/aggregates?${window}&every=hour&area=001`,
      'grid_planning',
    );
    expect(hourly.body.groups).toHaveLength(HOURS);
    expect(hourly.body.groups[0]).toMatchObject({ period: '2026-11-28T00:00+02:00', totalKwh: K });
    const profile = await ask(`/v1/analytics/load-profile?${month}&area=001xx`, 'grid_planning');
    expect(profile.body.groups.map((g) => g.period)).toEqual(
      Array.from({ length: 24 }, (_, h) => `weekend-${String(h).padStart(2, '0')}`),
    );
    expect(profile.body.groups.every((g) => g.meanKwh === 1 && g.customers === K)).toBe(true);
    const csv = await call('GET', `/v1/analytics/aggregates?${window}&format=csv`, {
      token: analyst,
      purpose: 'grid_planning',
    });
    const text = await csv.text();
    expect(text.split('\n')[0]).toBe(
      'period,area,commodity,direction,customers,total_kwh,mean_kwh,p50_kwh,p90_kwh,withheld',
    );
    expect(text).toContain(`2026-11-28,001xx,electricity,consumption,${K},${K * HOURS},`);
    expect(text).toContain('2026-11-28,002xx,electricity,consumption,,,,,,fewer-than-k-customers');
    // The statements ride in response headers, so the CSV stays a plain table.
    expect(JSON.parse(csv.headers.get('x-lukema-rule') ?? '')).toEqual({
      minGroupSize: K,
      dominancePercent: 15,
    });
    expect(JSON.parse(csv.headers.get('x-lukema-merge') ?? '')).toMatchObject({ areaDigits: 2 });
    expect(csv.headers.get('x-lukema-noise')).toBeNull();
    const research = await call('GET', `/v1/analytics/aggregates?${window}&format=csv`, {
      token: analyst,
      purpose: 'market_research',
    });
    expect(research.status).toBe(200);
    // One period, two areas one customer's sites may be in (the default): ε/2 per group.
    expect(JSON.parse(research.headers.get('x-lukema-noise') ?? '')).toMatchObject({
      epsilon: EPSILON,
      sumScale: 400,
    });
    expect(JSON.parse(research.headers.get('x-lukema-budget') ?? '')).toEqual({
      spent: 2 * EPSILON,
      total: BUDGET,
    });
    expect((await research.text()).split('\n')[0]).toBe(text.split('\n')[0]);
  });

  it('returns per-pseudonym series only for grid planning, on local days', async () => {
    const path = `/v1/analytics/daily-consumption?${window}&area=001xx`;
    for (const purpose of ['marketing', 'market_research']) {
      expect((await call('GET', path, { token: analyst, purpose })).status).toBe(403);
    }
    const r = await call('GET', path, { token: analyst, purpose: 'grid_planning' });
    const { series } = (await r.json()) as { series: Array<{ day: string; kwh: number }> };
    expect(series).toHaveLength(K);
    expect(series.every((s) => s.day === '2026-11-28' && s.kwh === HOURS)).toBe(true);
  });

  it('answers the same query from the CLI (npm run analytics), as CSV', async () => {
    const { stdout } = await analyticsCli([
      'aggregates',
      '--purpose',
      'grid_planning',
      '--from',
      new Date(DAY_START).toISOString(),
      '--to',
      new Date(DAY_START + HOURS * 3_600_000).toISOString(),
      '--format',
      'csv',
    ]);
    expect(stdout).toContain(`2026-11-28,001xx,electricity,consumption,${K},${K * HOURS},`);
    expect(stdout).toContain('110xx,electricity,consumption,,,,,,dominated-by-one-customer');
    console.log(`[analytics] CLI CSV:\n${stdout.trim()}`);
  });

  it('answers market research with noise of a stated scale, and refuses the query past the privacy budget', async () => {
    const researcher = await api.tokens.create('researcher-1', 'analyst', ['market_research']);
    const path = `/v1/analytics/aggregates?${window}`;
    const answers: Array<{ status: number; body: unknown }> = [];
    for (let i = 0; i < 4; i++) {
      const r = await call('GET', path, { token: researcher, purpose: 'market_research' });
      answers.push({ status: r.status, body: await r.json() });
    }
    // 3 × 0.5 = 1.5 is the budget: the fourth query would exceed it.
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 403]);
    const first = answers[0]?.body as Answer & {
      noise: { epsilon: number; sumScale: number; clampKwh: number };
      budget: { spent: number; total: number };
      groups: Array<{ p50Kwh?: number; totalKwh: number }>;
    };
    // One period and two areas a customer's sites may be in (LUKEMA_DP_AREAS_PER_CUSTOMER
    // default 2): ε/2 per group, half of it each for the counts and the sums; clamped at
    // 50 kWh per customer, so the Laplace scale is 50 / (0.5 / 2 / 2) = 400.
    expect(first.noise).toMatchObject({ epsilon: EPSILON, clampKwh: 50, sumScale: 400 });
    expect(first.budget).toEqual({ spent: 0.5, total: BUDGET });
    expect(first.groups.every((g) => !('p50Kwh' in g))).toBe(true);
    expect((answers[3]?.body as { error?: string } | undefined)?.error).toMatch(
      /privacy budget exhausted: this token has spent 1.5 of its 1.5 epsilon for market_research/,
    );
    // The budget is per token and purpose, and durable: a restarted API still refuses.
    await api.stop();
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    const again = await call('GET', path, { token: researcher, purpose: 'market_research' });
    expect(again.status).toBe(403);
    const other = await call('GET', path, { token: analyst, purpose: 'market_research' });
    expect(other.status).toBe(200);
    console.log(
      `[analytics] market research: ${answers.map((a) => a.status).join(', ')}; noise ${JSON.stringify(first.noise)}`,
    );
  });

  it('records every query in the audit trail with its group counts, never identities', async () => {
    const records = (await api.audit.records()).filter((r) => r.action === 'analytics.query');
    expect(records.length).toBeGreaterThanOrEqual(6);
    const first = records[0];
    expect(first?.subject).toBe('population');
    expect(first?.details).toMatchObject({
      query: 'aggregates',
      from: new Date(DAY_START).toISOString(),
      to: new Date(DAY_START + HOURS * 3_600_000).toISOString(),
      every: 'day',
      areaDigits: 3,
      groups: 2,
      withheldBelowK: 1,
      withheldDominated: 1,
      withheldComplementary: 1,
    });
    // A filtered query records its filter; a refused one (400) is audited as failed.
    expect(records.map((r) => r.details)).toContainEqual(
      expect.objectContaining({ every: 'hour', area: '001' }),
    );
    const refused = records.filter((r) => r.outcome === 'failed' && r.details?.every === 'month');
    expect(refused[0]?.details).toMatchObject({
      query: 'aggregates',
      from: '2026-10-31T22:00:00.000Z',
      to: '2026-11-15T22:00:00.000Z',
      refused: expect.stringMatching(/Europe\/Helsinki month boundaries/),
    });
    // A request failing the schema is audited with the reason only (its values unchecked).
    const invalid = records.find((r) => String(r.details?.refused).startsWith('invalid request'));
    expect(invalid?.outcome).toBe('failed');
    expect(invalid?.details).toEqual({
      query: 'aggregates',
      refused: 'invalid request: querystring.every must be hour, day or month (Finnish local time)',
    });
    const text = JSON.stringify(records);
    for (const c of customers) {
      expect(text).not.toContain(c.pseudonym);
      expect(text).not.toContain(c.customerId);
    }
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux interpolation payloads are what this file sends
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRightsApi } from '@lukema/api';
import { PointLines } from '@lukema/core';
import {
  createLogger,
  fluxString,
  InfluxClientAdapter,
  IoredisRegistryStore,
  loadConfig,
  QueryRejectedError,
  readInfluxToken,
  WriteRejectedError,
} from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const DAY = 86_400_000;
const FROM = Date.UTC(2026, 9, 1);
const DAYS = 5;
const AREAS = { '001xx': 3, '002xx': 2 } as const;

describe('the rights API refuses hostile input before it acts', () => {
  let stack: TestStack;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  const logFile = join(tmpdir(), `lukema-api-input-${randomBytes(4).toString('hex')}.log`);
  const logger = createLogger({ level: 'info', name: 'api-input', file: logFile });
  const tokens: Record<string, string> = {};
  const dpo = (path: string, method = 'GET', body?: unknown) =>
    call(method, path, {
      token: tokens.dpo,
      purpose: 'access_request',
      ...(body === undefined ? {} : { body }),
    });
  const raw = (method: string, path: string, body: string, contentType = 'application/json') =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.dpo}`,
        'x-lukema-purpose': 'access_request',
        'content-type': contentType,
      },
      body,
    });
  let baseUrl = '';

  beforeAll(async () => {
    stack = await createTestStack('api-input');
    api = createRightsApi(stack.config, logger);
    const address = await api.start(0);
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    call = apiClient(baseUrl);
    tokens.dpo = await api.tokens.create('dpo-1', 'dpo', ['access_request']);
    tokens.analyst = await api.tokens.create('analyst-1', 'analyst', ['grid_planning']);
    // Hourly consumption of 5 pseudonyms in two areas over 5 days; their areas are the
    // registry's (the raw series carry none).
    const lines = new PointLines();
    const written: string[] = [];
    const registry = new IoredisRegistryStore(
      stack.redis,
      `${stack.config.registry.redisPrefix}:registry`,
    );
    for (const [area, count] of Object.entries(AREAS)) {
      for (let i = 0; i < count; i++) {
        const pseudonym = randomBytes(16).toString('hex');
        const period = { contractId: `c-${area}-${i}`, startMs: 0, endMs: null, pseudonym, area };
        const mp = `64300000000009${area.slice(0, 3)}${i}`;
        await registry.putContract(
          {
            contractId: period.contractId,
            customerId: String(700_000 + Number(area.slice(0, 3)) * 10 + i),
            siteId: `S-${area}-${i}`,
            postalCode: `${area.slice(0, 3)}00`,
            meteringPointIds: [mp],
            startDate: '2025-01-01',
            endDate: null,
            status: 'active',
            updatedAt: '2025-01-01T00:00:00Z',
            startMs: 0,
            endMs: null,
            pseudonyms: { [mp]: pseudonym },
            area,
          },
          undefined,
        );
        for (let t = FROM; t < FROM + DAYS * DAY; t += 3_600_000) {
          const interval = { startMs: t, quantityWh: 500, quality: 'measured' as const, flags: [] };
          written.push(lines.reading(period, 'consumption', 'PT1H', interval));
        }
      }
    }
    await stack.influx.writeLines(stack.config.influx.buckets.readings, written);
  });

  afterAll(async () => {
    await api.stop();
    await stack.close();
  });

  it('answers 400 with a clear { error } for bodies, params and queries of the wrong shape, and acts on none', async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      [
        'POST',
        '/v1/access-requests',
        { customerId: { $gt: '' } },
        /body\.customerId must be a customer number/,
      ],
      [
        'POST',
        '/v1/access-requests',
        { personalIdentityCode: 12345 },
        /body\.personalIdentityCode must be a personal identity code as a string/,
      ],
      [
        'POST',
        '/v1/access-requests',
        { customerId: '010190-123A' },
        /body\.customerId must be a customer number/,
      ],
      [
        'POST',
        '/v1/access-requests',
        { customerId: '0401234567' },
        /body\.customerId must be a customer number/,
      ],
      [
        'POST',
        '/v1/access-requests',
        { customerId: 100001 },
        /body\.customerId must be a customer number/,
      ],
      [
        'POST',
        '/v1/access-requests',
        { customerId: '1234567890' },
        /body\.customerId must be a customer number/,
      ],
      [
        'POST',
        '/v1/access-requests',
        { customerId: '100001', personalIdentityCode: '010190-123A' },
        /either customerId or personalIdentityCode/,
      ],
      [
        'POST',
        '/v1/access-requests',
        { customerId: '100001', role: 'dpo' },
        /body has a property that is not allowed/,
      ],
      ['POST', '/v1/access-requests', {}, /either customerId or personalIdentityCode/],
      [
        'POST',
        '/v1/access-requests',
        { customerId: '100001', language: 12 },
        /body\.language must be a language code/,
      ],
      [
        'POST',
        '/v1/access-requests?language[]=fi',
        { customerId: '100001' },
        /querystring has a property that is not allowed/,
      ],
      ['POST', '/v1/access-requests', [], /body must be an object with either/],
      ['POST', '/v1/access-requests', 'x', /body must be an object with either/],
      [
        'GET',
        '/v1/access-requests?customerId[$gt]=',
        undefined,
        /querystring has a property that is not allowed/,
      ],
      ['GET', '/v1/access-requests/..%2F..%2Fetc', undefined, /params\.id must be a request id/],
      [
        'GET',
        `/v1/access-requests/${'a'.repeat(32)}/files/passwd`,
        undefined,
        /params\.file must be one of access-export\.csv/,
      ],
      [
        'POST',
        `/v1/access-requests/${'a'.repeat(32)}/retry`,
        { force: true },
        /body has a property that is not allowed/,
      ],
      [
        'DELETE',
        '/v1/access-requests/%7B%22%24gt%22%3A%22%22%7D',
        undefined,
        /params\.id must be a request id/,
      ],
      ['GET', '/v1/pseudonyms/${r.pseudonym}', undefined, /params\.pseudonym must be a pseudonym/],
      [
        'PUT',
        '/v1/customers/0401234567/objections',
        { directMarketing: true, marketResearch: false },
        /params\.customerId must be a customer number/,
      ],
      [
        'PUT',
        '/v1/customers/100001/objections',
        { directMarketing: 'yes', marketResearch: false },
        /body\.directMarketing must be a boolean/,
      ],
      [
        'PUT',
        '/v1/customers/100001/objections',
        { directMarketing: true },
        /body\.marketResearch is required/,
      ],
      [
        'POST',
        '/v1/customers/abc/erasure',
        undefined,
        /params\.customerId must be a customer number/,
      ],
      [
        'POST',
        '/v1/customers/100001/erasure',
        { customerId: '100002' },
        /body has a property that is not allowed/,
      ],
      ['GET', '/v1/audit/verify?x=1', undefined, /querystring has a property that is not allowed/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = await dpo(path, method, body);
      const answer = (await r.json()) as { error?: unknown };
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(Object.keys(answer)).toEqual(['error']);
      expect(answer.error, `${method} ${path}`).toMatch(message);
      expect(answer.error).not.toContain('010190-123A');
    }
    // Not JSON, or too large: refused by the parser with the same answer shape.
    const broken = await raw('POST', '/v1/access-requests', '{"customerId":');
    expect(broken.status).toBe(400);
    expect(Object.keys((await broken.json()) as object)).toEqual(['error']);
    const huge = await raw(
      'POST',
      '/v1/access-requests',
      JSON.stringify({ customerId: 'x'.repeat(20_000) }),
    );
    expect(huge.status).toBe(413);
    // No job was created, nothing was published or audited as done.
    expect(await api.exports.list()).toHaveLength(0);
    // (The test's own tokens were created through the API, so their creation is recorded.)
    const done = (await api.audit.records()).filter(
      (r) => r.outcome !== 'denied' && r.action !== 'token.create',
    );
    expect(done.map((r) => r.action)).toEqual([]);
    // The guard still comes first: without a token, hostile input is a recorded 401.
    const anonymous = await call('POST', '/v1/access-requests', {
      purpose: 'access_request',
      body: { customerId: { $gt: '' } },
    });
    expect(anonymous.status).toBe(401);
    console.log(
      `[api-input] ${cases.length + 2} hostile requests answered 400/413; jobs created: 0`,
    );
  });

  it('still serves well-formed requests, with answers of their declared shape', async () => {
    const started = await dpo('/v1/access-requests', 'POST', { customerId: '100001' });
    expect(started.status).toBe(202);
    const { requestId, ...rest } = (await started.json()) as { requestId: string };
    expect(rest).toEqual({ customerId: '100001' });
    const status = await waitFor('the export job', async () => {
      const s = (await (await dpo(`/v1/access-requests/${requestId}`)).json()) as {
        state: string;
      };
      return s.state === 'completed' ? s : undefined;
    });
    expect(Object.keys(status).sort()).toEqual(
      ['createdAt', 'expiresAt', 'progress', 'receivedAt', 'requestId', 'result', 'state'].sort(),
    );
    const objection = await dpo('/v1/customers/100001/objections', 'PUT', {
      directMarketing: true,
      marketResearch: false,
    });
    expect(objection.status).toBe(202);
    expect(await objection.json()).toEqual({ accepted: true });
    const missing = await dpo(`/v1/pseudonyms/${'b'.repeat(32)}`);
    expect(missing.status).toBe(404);
  });

  it('answers a Flux injection in the analytics query with 400, and one area with exactly its rows', async () => {
    const window = `from=${new Date(FROM).toISOString()}&to=${new Date(FROM + DAYS * DAY).toISOString()}`;
    const analytics = (query: string) =>
      call('GET', `/v1/analytics/daily-consumption?${window}${query}`, {
        token: tokens.analyst,
        purpose: 'grid_planning',
      });
    const all = (await (await analytics('')).json()) as { series: Array<{ area: string }> };
    // Days are Finnish local days: DAYS UTC days of readings touch DAYS + 1 of them.
    expect(all.series).toHaveLength((AREAS['001xx'] + AREAS['002xx']) * (DAYS + 1));
    const one = (await (await analytics('&area=001xx')).json()) as typeof all;
    expect(one.series).toHaveLength(AREAS['001xx'] * (DAYS + 1));
    expect(new Set(one.series.map((s) => s.area))).toEqual(new Set(['001xx']));
    for (const payload of ['${r.area}', '001xx" or r.area != "', '001xx\\', '${string(v: 1)}']) {
      const r = await analytics(`&area=${encodeURIComponent(payload)}`);
      const body = (await r.json()) as { error: string; series?: unknown[] };
      expect(r.status, `area=${payload} gave ${body.series?.length ?? 0} rows`).toBe(400);
      expect(body.error).toMatch(/area must be a postal-code area such as 001xx/);
    }
    console.log(
      `[api-input] analytics: all areas ${all.series.length} rows, area=001xx ${one.series.length} rows, area=\${r.area} 400`,
    );
  });

  it('escapes strings so that InfluxDB reads back exactly what was given', async () => {
    const hostile = [
      '${r.area}',
      'a" or true or "',
      'back\\slash\\',
      '$${x}',
      'a$\\" or true or "',
      // (A line break would come back as CRLF: that is the CSV answer, not the literal.)
      'tab\there',
      '$',
      'ä€',
    ];
    const rows = await stack.influx.rows<{ v: string }>(
      `import "array"\narray.from(rows: [${hostile.map((h) => `{v: "${fluxString(h)}"}`).join(', ')}])`,
    );
    expect(rows.map((r) => r.v)).toEqual(hostile);
  });

  it('answers analytics windows InfluxDB cannot serve with 400, and keeps InfluxDB text out of the log', async () => {
    const analytics = (query: string) =>
      call('GET', `/v1/analytics/daily-consumption?${query}`, {
        token: tokens.analyst,
        purpose: 'grid_planning',
      });
    const cases: Array<[string, RegExp]> = [
      ['from=1000-01-01&to=1000-02-01', /between 1970-01-01 and 2200-01-01/],
      ['from=2026-11-08&to=2026-11-01', /to must be after from/],
      ['from=2026-02-30&to=2026-03-08', /must be ISO dates/],
      ['from=2020-01-01&to=2026-01-01', /at most 366 days apart/],
      ['from=now()&to=2026-11-01', /querystring\.from must be an ISO date/],
      ['to=2026-11-01', /querystring\.from is required/],
    ];
    for (const [query, message] of cases) {
      const r = await analytics(query);
      expect(r.status, query).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(message);
    }
    // Should a query still be refused by InfluxDB, its text stays off the message.
    const refused = stack.influx.rows(`${stack.from()} |> filter(fn: (r) => r.x == undefinedName)`);
    await expect(refused).rejects.toBeInstanceOf(QueryRejectedError);
    const error = (await refused.catch((e: unknown) => e)) as QueryRejectedError;
    expect(error.message).toBe('InfluxDB refused the query (HTTP 400)');
    expect(error.engineMessage).toMatch(/undefined identifier/);
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    const log = await readFile(logFile, 'utf8').catch(() => '');
    expect(log).not.toMatch(/cannot query an empty range|compilation failed|error @/);
    expect(log).not.toContain('010190-123A');
  });

  it('gives the API an InfluxDB token that reads and may neither write nor delete', async () => {
    const base = loadConfig(process.env);
    const token = readInfluxToken({ ...base, influx: { ...base.influx, token: undefined } }, 'api');
    const apiInflux = new InfluxClientAdapter({
      url: base.influx.url,
      org: base.influx.org,
      token,
    });
    const provisioned = base.influx.buckets.readings;
    await expect(
      apiInflux.dailyConsumption(provisioned, { fromMs: FROM, toMs: FROM + DAY }),
    ).resolves.toBeInstanceOf(Array);
    const write = apiInflux.writeLines(provisioned, [`probe,s=a v=1 ${Date.now()}`]);
    await expect(write).rejects.toBeInstanceOf(WriteRejectedError);
    const status = ((await write.catch((e: unknown) => e)) as WriteRejectedError).status;
    expect([401, 403]).toContain(status);
    const erase = apiInflux.deleteSeriesPoints(provisioned, 'c'.repeat(32), 0, Date.now());
    await expect(erase).rejects.toMatchObject({ retriable: false });
    console.log(
      `[api-input] the API's InfluxDB token: read ok, write HTTP ${status}, delete refused`,
    );
  });
});

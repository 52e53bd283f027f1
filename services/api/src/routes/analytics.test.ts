import { EngineUnavailableError } from '@lukema/core';
import { type Logger, QueryRejectedError } from '@lukema/platform';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ApiDeps } from '../api-deps.js';
import { createServer } from '../server.js';

/** The server over fakes: every request is allowed; the readings port fails as told. */
function serverFailingWith(error: Error) {
  const logged: string[] = [];
  const log = (entry: unknown) => void logged.push(JSON.stringify(entry));
  const logger = { child: () => logger, warn: log, error: log } as unknown as Logger;
  const deps = {
    can: () => async (request: FastifyRequest) => {
      request.purpose = 'grid_planning';
    },
    audit: { append: async () => undefined },
    bucket: 'readings',
    readings: {
      dailyConsumption: async () => {
        throw error;
      },
    },
  } as unknown as ApiDeps;
  return { app: createServer(deps, logger), logged };
}

const url = '/v1/analytics/daily-consumption?from=2026-11-01&to=2026-11-08';

describe('analytics errors', () => {
  it('answers a query InfluxDB finds invalid with 400, without its text in answer or log', async () => {
    const engineText = 'compilation failed: error @2:5-2:10: undefined identifier r';
    const { app, logged } = serverFailingWith(new QueryRejectedError(400, engineText));
    const r = await app.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({
      error:
        'the query cannot be answered (InfluxDB refused the query (HTTP 400)); check from, to and area',
    });
    expect(logged.join('\n')).not.toContain('compilation failed');
  });

  it('answers an unreachable InfluxDB with 503, and a refused token with 500', async () => {
    const down = serverFailingWith(new EngineUnavailableError('influxdb'));
    expect((await down.app.inject({ method: 'GET', url })).statusCode).toBe(503);
    const forbidden = serverFailingWith(new QueryRejectedError(403, 'read:buckets denied'));
    const r = await forbidden.app.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ error: 'internal error' });
    expect(forbidden.logged.join('\n')).not.toContain('denied');
  });
});

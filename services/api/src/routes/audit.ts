import { verifyChain } from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';
import { errorResponses, GUARDED, noQuery } from './schemas.js';

const chainResult = {
  type: 'object',
  required: ['ok', 'count'],
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    count: { type: 'integer' },
    head: { type: 'string' },
    brokenAt: { type: 'integer' },
    reason: { type: 'string' },
  },
} as const;

const verifySchema = {
  querystring: noQuery,
  response: {
    200: {
      type: 'object',
      required: ['ok', 'chains'],
      additionalProperties: false,
      properties: {
        ok: { type: 'boolean' },
        chains: { type: 'object', additionalProperties: chainResult },
      },
    },
    ...errorResponses(...GUARDED),
  },
} as const;

/** Verifies every audit chain: an altered or removed record is reported. */
export function auditRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get(
    '/v1/audit/verify',
    { preValidation: deps.can('audit.verify'), schema: verifySchema },
    async (request) => {
      const chains = await deps.auditChains();
      const results = Object.fromEntries(
        Object.entries(chains).map(([name, records]) => [name, verifyChain(records)]),
      );
      await record(deps.audit, request, 'audit.verify', 'succeeded');
      return { ok: Object.values(results).every((r) => r.ok), chains: results };
    },
  );
}

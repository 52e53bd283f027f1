import { verifyChain } from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';

/** Verifies every audit chain: an altered or removed record is reported. */
export function auditRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get('/v1/audit/verify', { preHandler: deps.can('audit.verify') }, async (request) => {
    const chains = await deps.auditChains();
    const results = Object.fromEntries(
      Object.entries(chains).map(([name, records]) => [name, verifyChain(records)]),
    );
    await record(deps.audit, request, 'audit.verify', 'succeeded');
    return { ok: Object.values(results).every((r) => r.ok), chains: results };
  });
}

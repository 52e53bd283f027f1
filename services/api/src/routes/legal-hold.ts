import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';
import { customerParams, errorResponses, GUARDED, noQuery } from './schemas.js';

const holdBody = {
  type: 'object',
  description: 'held (boolean) and, to set a hold, its reason (3 to 300 characters)',
  required: ['held'],
  additionalProperties: false,
  properties: {
    held: { type: 'boolean', description: 'a boolean (true = the hold applies)' },
    reason: {
      type: 'string',
      minLength: 3,
      maxLength: 300,
      description: 'the reason, 3 to 300 characters',
    },
  },
} as const;

/**
 * Sets or releases a legal hold on a customer's data (a dispute, an authority's order):
 * while it applies, an erasure is refused. Recorded before it takes effect.
 */
export function legalHoldRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.put<{ Params: { customerId: string }; Body: { held: boolean; reason?: string } }>(
    '/v1/customers/:customerId/legal-hold',
    {
      preValidation: deps.can('legalhold.set'),
      schema: {
        params: customerParams,
        querystring: noQuery,
        body: holdBody,
        response: {
          200: {
            type: 'object',
            required: ['held'],
            additionalProperties: false,
            properties: { held: { type: 'boolean' } },
          },
          ...errorResponses(...GUARDED),
        },
      },
    },
    async (request, reply) => {
      const { customerId } = request.params;
      const { held, reason } = request.body;
      if (held && !reason)
        return reply
          .code(400)
          .send({ error: 'invalid request: body.reason is required to set a hold' });
      await record(deps.audit, request, 'legalhold.set', 'allowed', customerId, {
        held,
        ...(reason ? { reason } : {}),
      });
      if (held && reason)
        await deps.legalHolds.hold(customerId, { at: new Date().toISOString(), reason });
      else await deps.legalHolds.release(customerId);
      return { held };
    },
  );
}

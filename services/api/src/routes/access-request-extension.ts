import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';
import { errorResponses, GUARDED, idParams, noQuery } from './schemas.js';
import { recordOutcome } from './subject-input.js';

const extensionBody = {
  type: 'object',
  description: 'an object with the reason for the extension (3 to 300 characters)',
  required: ['reason'],
  additionalProperties: false,
  properties: {
    reason: {
      type: 'string',
      minLength: 3,
      maxLength: 300,
      description: 'the reason, 3 to 300 characters',
    },
  },
} as const;

/**
 * Extends an access request's deadline by two months (GDPR Art. 12(3): complex or many
 * requests), once, with the reason recorded in the audit trail before it takes effect.
 */
export function accessRequestExtensionRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/v1/access-requests/:id/extension',
    {
      preValidation: deps.can('export.extend'),
      schema: {
        params: idParams,
        querystring: noQuery,
        body: extensionBody,
        response: {
          200: {
            type: 'object',
            required: ['extended'],
            additionalProperties: false,
            properties: { extended: { type: 'boolean' } },
          },
          ...errorResponses(...GUARDED, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const status = await deps.exports.status(request.params.id);
      if (!status) return reply.code(404).send({ error: 'no such request' });
      const details = { requestId: status.requestId, reason: request.body.reason };
      // The trail refuses a reason that holds an identifier (400), and then nothing changes.
      await record(deps.audit, request, 'export.extend', 'allowed', status.customerId, details);
      const outcome = await deps.exports.extend(status.requestId, request.body.reason);
      if (outcome !== 'extended') {
        await recordOutcome(deps, request, 'export.extend', status.customerId, details);
        return reply.code(outcome === 'unknown' ? 404 : 409).send({
          error: outcome === 'unknown' ? 'no such request' : 'the deadline was extended already',
        });
      }
      return { extended: true };
    },
  );
}

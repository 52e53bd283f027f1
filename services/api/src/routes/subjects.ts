import { randomUUID } from 'node:crypto';
import { erasureEventValue, objectionEventValue } from '@lukema/schemas';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';

/** Re-identification (DPO only), objections and erasure for one data subject. */
export function subjectRoutes(app: FastifyInstance, deps: ApiDeps) {
  const { can } = deps;

  app.get<{ Params: { pseudonym: string } }>(
    '/v1/pseudonyms/:pseudonym',
    { preHandler: can('reidentify') },
    async (request, reply) => {
      const owner = await deps.registry.findPseudonym(request.params.pseudonym);
      await record(
        deps.audit,
        request,
        'reidentify',
        owner ? 'succeeded' : 'failed',
        owner?.customerId,
        {
          pseudonym: request.params.pseudonym,
        },
      );
      if (!owner) return reply.code(404).send({ error: 'the pseudonym resolves to no one' });
      return owner;
    },
  );

  app.put<{
    Params: { customerId: string };
    Body: { directMarketing?: boolean; marketResearch?: boolean };
  }>(
    '/v1/customers/:customerId/objections',
    { preHandler: can('optout.set') },
    async (request, reply) => {
      const { directMarketing, marketResearch } = request.body ?? {};
      if (typeof directMarketing !== 'boolean' || typeof marketResearch !== 'boolean') {
        return reply
          .code(400)
          .send({ error: 'directMarketing and marketResearch must be booleans (true = objects)' });
      }
      const customerId = request.params.customerId;
      await deps.publish(
        deps.topics.objections,
        customerId,
        objectionEventValue({
          customerId,
          directMarketingOptOut: directMarketing,
          marketResearchOptOut: marketResearch,
          updatedAt: new Date().toISOString(),
          source: 'dpo',
        }),
      );
      await record(deps.audit, request, 'optout.set', 'succeeded', customerId, {
        directMarketing,
        marketResearch,
      });
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post<{ Params: { customerId: string } }>(
    '/v1/customers/:customerId/erasure',
    { preHandler: can('erase') },
    async (request, reply) => {
      const requestId = randomUUID().replaceAll('-', '');
      await deps.publish(
        deps.topics.erasures,
        request.params.customerId,
        erasureEventValue({
          requestId,
          customerId: request.params.customerId,
          requestedAt: new Date().toISOString(),
        }),
      );
      // The audit keeps that an erasure was requested and by whom, not whose data it was.
      await record(deps.audit, request, 'erase', 'allowed', undefined, { requestId });
      return reply.code(202).send({ requestId });
    },
  );
}

import { randomUUID } from 'node:crypto';
import { customerNumberProblem } from '@lukema/core';
import { erasureEventValue, objectionEventValue } from '@lukema/schemas';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';
import { recordOutcome } from './subject-input.js';

/** A pseudonym as the registry derives it: 128 bits, lowercase hex. */
const PSEUDONYM = /^[0-9a-f]{32}$/;

/** Re-identification (DPO only), objections and erasure for one data subject. */
export function subjectRoutes(app: FastifyInstance, deps: ApiDeps) {
  const { can } = deps;

  app.get<{ Params: { pseudonym: string } }>(
    '/v1/pseudonyms/:pseudonym',
    { preHandler: can('reidentify') },
    async (request, reply) => {
      if (!PSEUDONYM.test(request.params.pseudonym)) {
        return reply.code(400).send({ error: 'a pseudonym is 32 lowercase hex digits' });
      }
      // The lookup discloses nothing yet; the answer goes out only once it is recorded.
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
      const customerId = request.params.customerId;
      const problem = customerNumberProblem(customerId);
      if (problem) return reply.code(400).send({ error: problem });
      const { directMarketing, marketResearch } = request.body ?? {};
      if (typeof directMarketing !== 'boolean' || typeof marketResearch !== 'boolean') {
        return reply
          .code(400)
          .send({ error: 'directMarketing and marketResearch must be booleans (true = objects)' });
      }
      // Recorded before it is published: an objection the trail cannot hold is not set.
      await record(deps.audit, request, 'optout.set', 'allowed', customerId, {
        directMarketing,
        marketResearch,
      });
      try {
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
      } catch (error) {
        await recordOutcome(deps, request, 'optout.set', customerId, {
          directMarketing,
          marketResearch,
        });
        throw error;
      }
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post<{ Params: { customerId: string } }>(
    '/v1/customers/:customerId/erasure',
    { preHandler: can('erase') },
    async (request, reply) => {
      const customerId = request.params.customerId;
      const problem = customerNumberProblem(customerId);
      if (problem) return reply.code(400).send({ error: problem });
      const requestId = randomUUID().replaceAll('-', '');
      // The audit keeps that an erasure was requested and by whom, not whose data it was;
      // it is durable before the request reaches the registry.
      await record(deps.audit, request, 'erase', 'allowed', undefined, { requestId });
      try {
        await deps.publish(
          deps.topics.erasures,
          customerId,
          erasureEventValue({ requestId, customerId, requestedAt: new Date().toISOString() }),
        );
      } catch (error) {
        await recordOutcome(deps, request, 'erase', undefined, { requestId });
        throw error;
      }
      return reply.code(202).send({ requestId });
    },
  );
}

import { randomUUID } from 'node:crypto';
import { customerNumberProblem } from '@lukema/core';
import { erasureEventValue, objectionEventValue } from '@lukema/schemas';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';
import {
  customerParams,
  errorResponses,
  GUARDED,
  noBody,
  noQuery,
  pseudonym as pseudonymSchema,
} from './schemas.js';
import { recordOutcome } from './subject-input.js';

const objectionsBody = {
  type: 'object',
  description: 'booleans directMarketing and marketResearch (true = objects)',
  required: ['directMarketing', 'marketResearch'],
  additionalProperties: false,
  properties: {
    directMarketing: { type: 'boolean', description: 'a boolean (true = objects)' },
    marketResearch: { type: 'boolean', description: 'a boolean (true = objects)' },
  },
} as const;

const accepted = (property: string, type: 'boolean' | 'string') => ({
  type: 'object',
  required: [property],
  additionalProperties: false,
  properties: { [property]: { type } },
});

/** Re-identification (DPO only), objections and erasure for one data subject. */
export function subjectRoutes(app: FastifyInstance, deps: ApiDeps) {
  const { can } = deps;

  app.get<{ Params: { pseudonym: string } }>(
    '/v1/pseudonyms/:pseudonym',
    {
      preValidation: can('reidentify'),
      schema: {
        params: {
          type: 'object',
          required: ['pseudonym'],
          additionalProperties: false,
          properties: { pseudonym: pseudonymSchema },
        },
        querystring: noQuery,
        response: {
          200: {
            type: 'object',
            required: ['pseudonym', 'contractId', 'customerId', 'meteringPointId'],
            additionalProperties: false,
            properties: {
              pseudonym: { type: 'string' },
              contractId: { type: 'string' },
              customerId: { type: 'string' },
              meteringPointId: { type: 'string' },
            },
          },
          ...errorResponses(...GUARDED, 404),
        },
      },
    },
    async (request, reply) => {
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
    {
      preValidation: can('optout.set'),
      schema: {
        params: customerParams,
        querystring: noQuery,
        body: objectionsBody,
        response: { 202: accepted('accepted', 'boolean'), ...errorResponses(...GUARDED) },
      },
    },
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
    {
      preValidation: can('erase'),
      schema: {
        params: customerParams,
        querystring: noQuery,
        body: noBody,
        response: {
          202: accepted('requestId', 'string'),
          ...errorResponses(...GUARDED, 409),
        },
      },
    },
    async (request, reply) => {
      const customerId = request.params.customerId;
      const problem = customerNumberProblem(customerId);
      if (problem) return reply.code(400).send({ error: problem });
      const held = await deps.legalHolds.holdOf(customerId);
      if (held) {
        // The refusal is recorded too, without whose data it was (as the erasure would be).
        await record(deps.audit, request, 'erase', 'failed', undefined, { refused: 'legal hold' });
        return reply.code(409).send({
          error: `a legal hold applies since ${held.at.slice(0, 10)} (${held.reason}); nothing was erased`,
        });
      }
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

import { randomUUID } from 'node:crypto';
import {
  approvalProblem,
  isLanguage,
  LANGUAGES,
  RECEIPT_CHANNELS,
  receivedAtOf,
  receivedRequest,
  withDenial,
  withIdentityVerified,
} from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';
import { customerOfSubject, startExportAudited } from './export-start.js';
import { errorResponses, GUARDED, idParams, noBody, noQuery, requestList } from './schemas.js';
import { subjectOf } from './subject-input.js';

/** The channels a DPO records; `customer_page` is the customer's own page's. */
const DPO_CHANNELS = RECEIPT_CHANNELS.filter((c) => c !== 'customer_page');

const text = (what: string, max: number) =>
  ({
    type: 'string',
    minLength: 3,
    maxLength: max,
    description: `${what}, 3 to ${max} characters`,
  }) as const;

const receiveBody = {
  type: 'object',
  description: 'customerId or personalIdentityCode, the channel, and optionally received, language',
  required: ['channel'],
  additionalProperties: false,
  anyOf: [{ required: ['customerId'] }, { required: ['personalIdentityCode'] }],
  not: { required: ['customerId', 'personalIdentityCode'] },
  properties: {
    customerId: { type: 'string', maxLength: 20, description: 'a customer number' },
    personalIdentityCode: {
      type: 'string',
      minLength: 1,
      maxLength: 20,
      description: 'a personal identity code',
    },
    channel: {
      type: 'string',
      enum: DPO_CHANNELS,
      description: `one of ${DPO_CHANNELS.join(', ')}`,
    },
    received: { type: 'string', maxLength: 10, description: 'the day it was received, YYYY-MM-DD' },
    language: { type: 'string', maxLength: 8, description: 'the report language: fi, sv or en' },
  },
} as const;

const heldRequest = {
  type: 'object',
  required: ['requestId', 'customerId', 'receivedAt', 'channel', 'state', 'updatedAt'],
  additionalProperties: false,
  properties: {
    requestId: { type: 'string' },
    customerId: { type: 'string' },
    receivedAt: { type: 'string' },
    channel: { type: 'string' },
    state: { type: 'string' },
    language: { type: 'string' },
    identityVerifiedBy: { type: 'string' },
    deniedReason: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const stepBody = (field: 'method' | 'reason', what: string) =>
  ({
    type: 'object',
    description: `an object with ${field}: ${what}`,
    required: [field],
    additionalProperties: false,
    properties: { [field]: text(what, 300) },
  }) as const;

/**
 * Access requests as received, before any export runs: recorded from a letter or an
 * e-mail (identity to verify), the identity check recorded (new), then approved (the
 * export is queued, its deadline still counting from receipt) or denied with a reason.
 * Every step is in the audit trail before it takes effect.
 */
export function accessRequestIntakeRoutes(app: FastifyInstance, deps: ApiDeps) {
  const { can, heldRequests } = deps;

  app.post<{ Body: Record<string, string> }>(
    '/v1/access-requests/received',
    {
      preValidation: can('request.receive'),
      schema: {
        querystring: noQuery,
        body: receiveBody,
        response: { 201: heldRequest, ...errorResponses(...GUARDED, 404) },
      },
    },
    async (request, reply) => {
      const { channel, received, language, ...subject } = request.body;
      if (language !== undefined && !isLanguage(language))
        return reply.code(400).send({ error: `language must be one of ${LANGUAGES.join(', ')}` });
      const at = receivedAtOf(received, Date.now());
      if ('problem' in at) return reply.code(400).send({ error: at.problem });
      // A request is held at most the retention policy's time from receipt.
      if (Date.now() - Date.parse(at.at) >= heldRequests.keepSeconds * 1000)
        return reply.code(400).send({
          error: `received must be within the last ${Math.floor(heldRequests.keepSeconds / 86_400)} days`,
        });
      const input = subjectOf(subject);
      if (input.kind === 'invalid') return reply.code(400).send({ error: input.problem });
      const customerId = await customerOfSubject(deps, request, reply, 'request.receive', input);
      if (!customerId) return reply;
      const held = receivedRequest({
        requestId: randomUUID().replaceAll('-', ''),
        customerId,
        receivedAt: at.at,
        channel: channel as (typeof DPO_CHANNELS)[number],
        ...(language && isLanguage(language) ? { language } : {}),
        nowMs: Date.now(),
      });
      await record(deps.audit, request, 'request.receive', 'allowed', customerId, {
        requestId: held.requestId,
        channel: held.channel,
        received: held.receivedAt,
      });
      await heldRequests.save(held);
      return reply.code(201).send(held);
    },
  );

  app.get(
    '/v1/access-requests/received',
    {
      // DPO-only: the list names customers (an operator lists exports, not people).
      preValidation: can('request.receive'),
      schema: {
        querystring: noQuery,
        response: {
          200: requestList(heldRequest),
          ...errorResponses(...GUARDED),
        },
      },
    },
    async (request) => {
      await record(deps.audit, request, 'export.list', 'succeeded', undefined, { held: true });
      return { requests: await heldRequests.list() };
    },
  );

  /** The steps on a held request, each recorded (with its details) before it is saved. */
  const steps = [
    {
      path: '/identity',
      action: 'request.verify',
      field: 'method',
      what: 'how the requester’s identity was verified',
      next: withIdentityVerified,
    },
    {
      path: '/denial',
      action: 'request.deny',
      field: 'reason',
      what: 'why the request is denied',
      next: withDenial,
    },
  ] as const;
  for (const { path, action, field, what, next } of steps) {
    app.post<{ Params: { id: string }; Body: Record<'method' | 'reason', string> }>(
      `/v1/access-requests/:id${path}`,
      {
        preValidation: can(action),
        schema: {
          params: idParams,
          querystring: noQuery,
          body: stepBody(field, what),
          response: { 200: heldRequest, ...errorResponses(...GUARDED, 404, 409) },
        },
      },
      async (request, reply) => {
        const given = request.body[field];
        const held = await heldRequests.get(request.params.id);
        if (!held) return reply.code(404).send({ error: 'no such received request' });
        const outcome = next(held, given, Date.now());
        if ('problem' in outcome) return reply.code(409).send({ error: outcome.problem });
        const details = { requestId: held.requestId, received: held.receivedAt, [field]: given };
        await record(deps.audit, request, action, 'allowed', held.customerId, details);
        await heldRequests.save(outcome.ok);
        return outcome.ok;
      },
    );
  }

  app.post<{ Params: { id: string } }>(
    '/v1/access-requests/:id/approval',
    {
      preValidation: can('export.create'),
      schema: {
        params: idParams,
        querystring: noQuery,
        body: noBody,
        response: {
          202: {
            type: 'object',
            required: ['requestId', 'customerId'],
            additionalProperties: false,
            properties: { requestId: { type: 'string' }, customerId: { type: 'string' } },
          },
          ...errorResponses(...GUARDED, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const held = await heldRequests.get(request.params.id);
      if (!held) return reply.code(404).send({ error: 'no such received request' });
      const problem = approvalProblem(held);
      if (problem) return reply.code(409).send({ error: problem });
      const details = { requestId: held.requestId, received: held.receivedAt, approved: true };
      // The approval is durable before the job exists: no export runs unaudited.
      await startExportAudited(deps, request, details, {
        requestId: held.requestId,
        customerId: held.customerId,
        requestedBy: request.grant?.name ?? '',
        receivedAt: held.receivedAt,
        ...(held.language ? { language: held.language } : {}),
      });
      // From here the export queue holds the request (same id, receipt kept with it).
      await heldRequests.remove(held.requestId);
      return reply.code(202).send({ requestId: held.requestId, customerId: held.customerId });
    },
  );
}

import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { isLanguage, LANGUAGES } from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { EXPORT_FILES, type ExportFile } from '../export-builder.js';
import { record } from '../guard.js';
import { customerOfSubject, startExportAudited } from './export-start.js';
import {
  customerNumber,
  errorResponses,
  exportStatus,
  GUARDED,
  idParams,
  noBody,
  noQuery,
  requestList,
} from './schemas.js';
import { recordOutcome, subjectOf } from './subject-input.js';

const CONTENT_TYPES: Record<ExportFile, string> = {
  'access-export.csv': 'text/csv; charset=utf-8',
  'access-export.json': 'application/json; charset=utf-8',
  'access-report.html': 'text/html; charset=utf-8',
};

// The report's language (merged from the language work): its list is checked by the
// handler, which names it; the schema only bounds the shape.
const language = {
  type: 'string',
  maxLength: 8,
  description: 'a language code such as fi, sv or en',
} as const;

const startBody = {
  type: 'object',
  description: 'an object with either customerId or personalIdentityCode',
  additionalProperties: false,
  // Exactly one of the two: an identity code never travels in the customer number's field.
  anyOf: [{ required: ['customerId'] }, { required: ['personalIdentityCode'] }],
  not: { required: ['customerId', 'personalIdentityCode'] },
  properties: {
    customerId: customerNumber,
    // Checked in full (date, century sign, check character) by identityCodeProblem.
    personalIdentityCode: {
      type: 'string',
      minLength: 1,
      maxLength: 20,
      description: 'a personal identity code as a string (DDMMYYCZZZQ)',
    },
    language,
  },
} as const;

const startQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { language },
} as const;

const fileParams = {
  type: 'object',
  required: ['id', 'file'],
  additionalProperties: false,
  properties: {
    id: idParams.properties.id,
    file: {
      type: 'string',
      enum: [...EXPORT_FILES],
      description: `one of ${EXPORT_FILES.join(', ')}`,
    },
  },
} as const;

/** The right of access: start, follow, retry, cancel and download access-request exports. */
export function accessRequestRoutes(app: FastifyInstance, deps: ApiDeps) {
  const { can } = deps;

  app.post<{ Body: unknown; Querystring: { language?: string } }>(
    '/v1/access-requests',
    {
      preValidation: can('export.create'),
      schema: {
        querystring: startQuery,
        body: startBody,
        response: {
          202: {
            type: 'object',
            required: ['requestId', 'customerId'],
            additionalProperties: false,
            properties: { requestId: { type: 'string' }, customerId: { type: 'string' } },
          },
          ...errorResponses(...GUARDED, 404),
        },
      },
    },
    async (request, reply) => {
      // Inputs are checked before anything is looked up, recorded or started. The report's
      // language is the policy's default (Finnish) when the request names none.
      const { language: bodyLanguage, ...subject } = isObject(request.body) ? request.body : {};
      const language = bodyLanguage ?? request.query.language;
      if (language !== undefined && !isLanguage(language))
        return reply.code(400).send({ error: `language must be one of ${LANGUAGES.join(', ')}` });
      const input = subjectOf(isObject(request.body) ? subject : request.body);
      if (input.kind === 'invalid') return reply.code(400).send({ error: input.problem });
      const customer = await customerOfSubject(deps, request, reply, 'export.create', input);
      if (!customer) return reply;
      const requestId = randomUUID().replaceAll('-', '');
      // The record is durable before the job exists: no export runs unaudited.
      await startExportAudited(
        deps,
        request,
        { requestId },
        {
          requestId,
          customerId: customer,
          requestedBy: request.grant?.name ?? '',
          ...(language === undefined ? {} : { language }),
        },
      );
      return reply.code(202).send({ requestId, customerId: customer });
    },
  );

  app.get(
    '/v1/access-requests',
    {
      preValidation: can('export.list'),
      schema: {
        querystring: noQuery,
        response: {
          200: requestList(exportStatus),
          ...errorResponses(...GUARDED),
        },
      },
    },
    async (request) => {
      await record(deps.audit, request, 'export.list', 'succeeded');
      return { requests: await deps.exports.list() };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/access-requests/:id',
    {
      preValidation: can('export.list'),
      schema: {
        params: idParams,
        querystring: noQuery,
        response: { 200: exportStatus, ...errorResponses(...GUARDED, 404) },
      },
    },
    async (request, reply) => {
      const status = await deps.exports.status(request.params.id);
      if (!status) return reply.code(404).send({ error: 'no such request' });
      // Following a request discloses whose it is and how far it got: recorded, by customer.
      await record(deps.audit, request, 'export.list', 'succeeded', status.customerId, {
        requestId: status.requestId,
      });
      const { customerId: _omit, ...visible } = status;
      return visible;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/access-requests/:id/retry',
    {
      preValidation: can('export.retry'),
      schema: {
        params: idParams,
        querystring: noQuery,
        body: noBody,
        response: {
          200: {
            type: 'object',
            required: ['retried'],
            additionalProperties: false,
            properties: { retried: { type: 'boolean' } },
          },
          ...errorResponses(...GUARDED, 409),
        },
      },
    },
    async (request, reply) => {
      const details = { requestId: request.params.id };
      // Recorded by customer (so the DPO finds it by customer), before it takes effect.
      const subject = (await deps.exports.status(request.params.id))?.customerId;
      await record(deps.audit, request, 'export.retry', 'allowed', subject, details);
      const ok = await deps.exports.retry(request.params.id);
      if (!ok) await recordOutcome(deps, request, 'export.retry', subject, details);
      return ok
        ? { retried: true }
        : reply.code(409).send({ error: 'only a failed request can be retried' });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/access-requests/:id',
    {
      preValidation: can('export.cancel'),
      schema: {
        params: idParams,
        querystring: noQuery,
        response: {
          200: {
            type: 'object',
            required: ['cancelled'],
            additionalProperties: false,
            properties: { cancelled: { type: 'boolean' } },
          },
          ...errorResponses(...GUARDED, 409),
        },
      },
    },
    async (request, reply) => {
      const details = { requestId: request.params.id };
      // Recorded by customer (so the DPO finds it by customer), before it takes effect.
      const subject = (await deps.exports.status(request.params.id))?.customerId;
      await record(deps.audit, request, 'export.cancel', 'allowed', subject, details);
      const ok = await deps.exports.cancel(request.params.id);
      if (!ok) await recordOutcome(deps, request, 'export.cancel', subject, details);
      return ok
        ? { cancelled: true }
        : reply.code(409).send({ error: 'unknown or running request' });
    },
  );

  app.get<{ Params: { id: string; file: string } }>(
    '/v1/access-requests/:id/files/:file',
    {
      preValidation: can('export.download'),
      schema: {
        params: fileParams,
        querystring: noQuery,
        // 200 is the file itself, streamed as it is (not serialized).
        response: { 200: { type: 'string' }, ...errorResponses(...GUARDED, 404, 410) },
      },
    },
    async (request, reply) => {
      const file = request.params.file as ExportFile;
      if (!EXPORT_FILES.includes(file)) return reply.code(404).send({ error: 'no such file' });
      const status = await deps.exports.status(request.params.id);
      if (!status?.result?.found)
        return reply.code(404).send({ error: 'no export ready for that request' });
      if (Date.parse(status.expiresAt) < Date.now())
        return reply.code(410).send({ error: 'the download has expired' });
      await record(deps.audit, request, 'export.download', 'succeeded', status.customerId, {
        requestId: status.requestId,
        file,
      });
      return reply
        .header('content-type', CONTENT_TYPES[file])
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(createReadStream(join(deps.exportDirectory, status.requestId, file)));
    },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

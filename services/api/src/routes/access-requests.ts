import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { identityCodeProblem, isLanguage, LANGUAGES } from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { EXPORT_FILES, type ExportFile } from '../export-builder.js';
import { record } from '../guard.js';

const CONTENT_TYPES: Record<ExportFile, string> = {
  'access-export.csv': 'text/csv; charset=utf-8',
  'access-export.json': 'application/json; charset=utf-8',
  'access-report.html': 'text/html; charset=utf-8',
};

/** An access request; `language` (fi, sv, en) may also come in the query. */
type StartRequest = { customerId?: string; personalIdentityCode?: string; language?: string };

/** The right of access: start, follow, retry, cancel and download access-request exports. */
export function accessRequestRoutes(app: FastifyInstance, deps: ApiDeps) {
  const { can } = deps;

  app.post<{ Body: StartRequest; Querystring: { language?: string } }>(
    '/v1/access-requests',
    { preHandler: can('export.create') },
    async (request, reply) => {
      const { customerId, personalIdentityCode } = request.body ?? {};
      // The report's language; the policy's default (Finnish) when the request names none.
      const language = request.body?.language ?? request.query.language;
      if (language !== undefined && !isLanguage(language))
        return reply.code(400).send({ error: `language must be one of ${LANGUAGES.join(', ')}` });
      let customer = customerId;
      if (!customer && personalIdentityCode) {
        const problem = identityCodeProblem(personalIdentityCode);
        if (problem) return reply.code(400).send({ error: problem });
        customer = await deps.registry.customerByIdentity(deps.identityHash(personalIdentityCode));
        if (!customer)
          return reply.code(404).send({ error: 'no customer is known by that identity code' });
      }
      if (!customer)
        return reply.code(400).send({ error: 'give customerId or personalIdentityCode' });
      const requestId = randomUUID().replaceAll('-', '');
      await deps.exports.start({
        requestId,
        customerId: customer,
        requestedBy: request.grant?.name ?? '',
        ...(language === undefined ? {} : { language }),
      });
      await record(deps.audit, request, 'export.create', 'succeeded', customer, { requestId });
      return reply.code(202).send({ requestId, customerId: customer });
    },
  );

  app.get('/v1/access-requests', { preHandler: can('export.list') }, async (request) => {
    await record(deps.audit, request, 'export.list', 'succeeded');
    return { requests: await deps.exports.list() };
  });

  app.get<{ Params: { id: string } }>(
    '/v1/access-requests/:id',
    { preHandler: can('export.list') },
    async (request, reply) => {
      const status = await deps.exports.status(request.params.id);
      if (!status) return reply.code(404).send({ error: 'no such request' });
      const { customerId: _omit, ...visible } = status;
      return visible;
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/access-requests/:id/retry',
    { preHandler: can('export.retry') },
    async (request, reply) => {
      const ok = await deps.exports.retry(request.params.id);
      await record(deps.audit, request, 'export.retry', ok ? 'succeeded' : 'failed', undefined, {
        requestId: request.params.id,
      });
      return ok
        ? { retried: true }
        : reply.code(409).send({ error: 'only a failed request can be retried' });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/access-requests/:id',
    { preHandler: can('export.cancel') },
    async (request, reply) => {
      const ok = await deps.exports.cancel(request.params.id);
      await record(deps.audit, request, 'export.cancel', ok ? 'succeeded' : 'failed', undefined, {
        requestId: request.params.id,
      });
      return ok
        ? { cancelled: true }
        : reply.code(409).send({ error: 'unknown or running request' });
    },
  );

  app.get<{ Params: { id: string; file: string } }>(
    '/v1/access-requests/:id/files/:file',
    { preHandler: can('export.download') },
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

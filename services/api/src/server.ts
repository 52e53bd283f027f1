import { LukemaError } from '@lukema/core';
import type { Logger } from '@lukema/platform';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { accessRequestExtensionRoutes } from './routes/access-request-extension.js';
import { accessRequestIntakeRoutes } from './routes/access-request-intake.js';
import { accessRequestRoutes } from './routes/access-requests.js';
import { analyticsRoutes } from './routes/analytics.js';
import { analyticsAggregateRoutes } from './routes/analytics-aggregates.js';
import { auditRoutes } from './routes/audit.js';
import { auditEntryRoutes } from './routes/audit-entries.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { legalHoldRoutes } from './routes/legal-hold.js';
import { noQuery } from './routes/schemas.js';
import { subjectRoutes } from './routes/subjects.js';
import { tokenRoutes } from './routes/tokens.js';
import { validationMessage } from './routes/validation-errors.js';
import { validatorCompiler } from './routes/validator-compiler.js';

const healthSchema = {
  querystring: noQuery,
  response: {
    200: {
      type: 'object',
      required: ['ok'],
      additionalProperties: false,
      properties: { ok: { type: 'boolean' } },
    },
  },
} as const;

/** The rights API. Logging is off here: request logs could carry identifiers. */
export function createServer(deps: ApiDeps, logger?: Logger): FastifyInstance {
  const app = Fastify({
    logger: false,
    // Bodies here are a few fields; anything larger is not a request of this API.
    bodyLimit: 16 * 1024,
    schemaErrorFormatter: (errors, dataVar) => new Error(validationMessage(errors, dataVar)),
  });
  app.setValidatorCompiler(validatorCompiler);
  // Errors are logged by type and message only (messages never carry personal data).
  app.setErrorHandler(
    (error: Error & { statusCode?: number; expose?: boolean }, request, reply) => {
      // A typed engine failure that a retry can fix is a 503, not an internal error.
      const status =
        error.statusCode ?? (error instanceof LukemaError && error.retriable ? 503 : 500);
      logger?.[status < 500 ? 'warn' : 'error'](
        { err: { type: error.name, message: error.message }, route: request.routeOptions.url },
        'request failed',
      );
      void reply.code(status).send({
        error:
          status < 500 || error.expose
            ? error.message
            : status === 503
              ? 'a storage engine is unavailable; try again later'
              : 'internal error',
      });
    },
  );
  app.setNotFoundHandler(
    (_request, reply) => void reply.code(404).send({ error: 'no such route' }),
  );
  app.get('/health', { schema: healthSchema }, async () => ({ ok: true }));
  accessRequestRoutes(app, deps);
  accessRequestExtensionRoutes(app, deps);
  accessRequestIntakeRoutes(app, deps);
  subjectRoutes(app, deps);
  legalHoldRoutes(app, deps);
  analyticsRoutes(app, deps);
  analyticsAggregateRoutes(app, deps);
  auditRoutes(app, deps);
  auditEntryRoutes(app, deps);
  tokenRoutes(app, deps);
  deadLetterRoutes(app, deps);
  return app;
}

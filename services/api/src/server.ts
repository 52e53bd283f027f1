import type { Logger } from '@lukema/platform';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { accessRequestRoutes } from './routes/access-requests.js';
import { analyticsRoutes } from './routes/analytics.js';
import { auditRoutes } from './routes/audit.js';
import { auditEntryRoutes } from './routes/audit-entries.js';
import { subjectRoutes } from './routes/subjects.js';
import { tokenRoutes } from './routes/tokens.js';

/** The rights API. Logging is off here: request logs could carry identifiers. */
export function createServer(deps: ApiDeps, logger?: Logger): FastifyInstance {
  const app = Fastify({ logger: false });
  // Errors are logged by type and message only (messages never carry personal data).
  app.setErrorHandler(
    (error: Error & { statusCode?: number; expose?: boolean }, request, reply) => {
      logger?.error(
        { err: { type: error.name, message: error.message }, route: request.routeOptions.url },
        'request failed',
      );
      void reply.code(error.statusCode ?? 500).send({
        error:
          error.statusCode && (error.statusCode < 500 || error.expose)
            ? error.message
            : 'internal error',
      });
    },
  );
  app.get('/health', async () => ({ ok: true }));
  accessRequestRoutes(app, deps);
  subjectRoutes(app, deps);
  analyticsRoutes(app, deps);
  auditRoutes(app, deps);
  auditEntryRoutes(app, deps);
  tokenRoutes(app, deps);
  return app;
}

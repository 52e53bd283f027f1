import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { accessRequestRoutes } from './routes/access-requests.js';
import { analyticsRoutes } from './routes/analytics.js';
import { auditRoutes } from './routes/audit.js';
import { subjectRoutes } from './routes/subjects.js';

/** The rights API. Logging is off here: request logs could carry identifiers. */
export function createServer(deps: ApiDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ ok: true }));
  accessRequestRoutes(app, deps);
  subjectRoutes(app, deps);
  analyticsRoutes(app, deps);
  auditRoutes(app, deps);
  return app;
}

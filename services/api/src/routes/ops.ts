import type { opsHandlers } from '@lukema/platform';
import type { FastifyInstance } from 'fastify';
import { noQuery } from './schemas.js';

/**
 * `/metrics` (Prometheus), `/livez` (the process answers) and `/readyz` (its engines answer;
 * 503 naming the one that does not). No token: they hold no personal data.
 */
export function opsRoutes(app: FastifyInstance, handlers: ReturnType<typeof opsHandlers>) {
  const send =
    (
      handler: () =>
        | Promise<{ status: number; type: string; body: string }>
        | { status: number; type: string; body: string },
    ) =>
    async (_request: unknown, reply: import('fastify').FastifyReply) => {
      const r = await handler();
      return reply.code(r.status).type(r.type).send(r.body);
    };
  const schema = { querystring: noQuery };
  app.get('/metrics', { schema }, send(handlers.metrics));
  app.get('/livez', { schema }, send(handlers.livez));
  app.get('/readyz', { schema }, send(handlers.readyz));
}

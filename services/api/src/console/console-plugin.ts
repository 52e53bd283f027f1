import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { customerOidc } from './customer-oidc.js';
import { customerPages } from './customer-pages.js';
import { dpoAudit } from './dpo-audit.js';
import { dpoAuth } from './dpo-auth.js';
import { dpoOperations } from './dpo-operations.js';
import { dpoRequests } from './dpo-requests.js';
import { dpoSubjects } from './dpo-subjects.js';
import { loadSessions } from './request-sessions.js';

/**
 * No script or style from anywhere but Lukema, none inline, no framing, forms only to
 * Lukema; the pages are personal, so nothing is cached or sent on as a referrer.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const ASSETS: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

export function securityHeaders(_request: FastifyRequest, reply: FastifyReply) {
  void reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store');
}

/**
 * The DPO console (`/console`) and the customer's own page (`/me`): server-rendered pages
 * in their own fastify scope, so their form parser and headers do not touch the API.
 */
export function registerConsole(app: FastifyInstance, deps: ConsoleDeps) {
  const { sessions } = deps;
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.addHook('onRequest', async (request, reply) => securityHeaders(request, reply));
    scope.addHook('preHandler', async (request) => loadSessions(sessions, request, deps.texts));
    // Static, personal-data-free files: the only things served without a session.
    scope.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
      const type = ASSETS[request.params.file];
      if (!type) return reply.code(404).send({ error: 'no such asset' });
      const body = await readFile(new URL(`./assets/${request.params.file}`, import.meta.url));
      return reply.header('content-type', type).header('cache-control', 'max-age=300').send(body);
    });
    dpoAuth(scope, deps, sessions);
    dpoRequests(scope, deps, sessions);
    dpoSubjects(scope, deps, sessions);
    dpoAudit(scope, deps, sessions);
    dpoOperations(scope, deps, sessions);
    customerPages(scope, deps, sessions);
    customerOidc(scope, deps, sessions);
  });
  return sessions;
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { sessionCookie } from './cookies.js';
import { DPO_COOKIE } from './request-sessions.js';
import { type DpoSession, type Session, type SessionStore, sameSecret } from './sessions.js';

export { DPO_COOKIE };
export type DpoSessionOf = Extract<Session, { kind: 'dpo' }>;

export const dpoCookie = (request: FastifyRequest, value: string, maxAgeSeconds: number) =>
  sessionCookie(DPO_COOKIE, value, {
    path: '/console',
    maxAgeSeconds,
    secure: request.protocol === 'https',
  });

/**
 * The DPO's session, or an answer: a page request goes to the sign-in form, anything else
 * (a file, a form post, a progress poll) gets 401.
 */
export function dpoSession(
  _sessions: SessionStore,
  request: FastifyRequest,
  reply: FastifyReply,
): DpoSessionOf | undefined {
  // Read from Redis before the handler (loadSessions), its idle timeout renewed.
  const session = request.consoleSessions?.dpo;
  if (session) return session;
  const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('html');
  if (wantsPage) void reply.code(303).header('location', '/console/sign-in').send();
  else void reply.code(401).send({ error: 'sign in to the console first' });
  return undefined;
}

/** A state-changing form: a signed-in DPO and the session's CSRF token, or 401/403. */
export function dpoForm(
  sessions: SessionStore,
  request: FastifyRequest,
  reply: FastifyReply,
): DpoSessionOf | undefined {
  const session = dpoSession(sessions, request, reply);
  if (!session) return undefined;
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (!sameSecret(body.csrf, session.csrf)) {
    void reply.code(403).send({ error: 'the form is stale or forged (CSRF token); reload it' });
    return undefined;
  }
  return session;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly raw: Buffer;
  readonly headers: Record<string, unknown>;
}

/**
 * Calls the rights API as the signed-in DPO, in process: the same routes, input schemas,
 * access rules and audit-before-effect as the CLI and curl.
 */
export async function callApi(
  deps: ConsoleDeps,
  session: DpoSession,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  purpose: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const answer = await deps.api.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${session.token}`,
      'x-lukema-purpose': purpose,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  let parsed: Record<string, unknown> = {};
  if (String(answer.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      parsed = JSON.parse(answer.body) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
  }
  return {
    status: answer.statusCode,
    body: parsed,
    raw: answer.rawPayload,
    headers: answer.headers,
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookie } from './cookies.js';
import { CUSTOMER_COOKIE } from './request-sessions.js';
import type { Session, SessionStore } from './sessions.js';

export { CUSTOMER_COOKIE };
export type CustomerSessionOf = Extract<Session, { kind: 'customer' }>;

export const customerCookie = (request: FastifyRequest, value: string, maxAgeSeconds: number) =>
  sessionCookie(CUSTOMER_COOKIE, value, {
    path: '/me',
    maxAgeSeconds,
    secure: request.protocol === 'https',
  });

/**
 * The customer's session, or an answer: a page goes to the sign-in page, anything else
 * (a download, a form) gets 401. The session alone says whose data is shown: no route of
 * the customer's page takes a customer number, so there is no id to change.
 */
export function customerSession(
  _sessions: SessionStore,
  request: FastifyRequest,
  reply: FastifyReply,
): CustomerSessionOf | undefined {
  // Read from Redis before the handler (loadSessions), its idle timeout renewed.
  const session = request.consoleSessions?.customer;
  if (session) return session;
  const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('html');
  if (wantsPage) void reply.code(303).header('location', '/me/sign-in').send();
  else void reply.code(401).send({ error: 'sign in first' });
  return undefined;
}

import type { FastifyRequest } from 'fastify';
import { readCookies } from './cookies.js';
import { dpoLanguage, dpoTexts } from './dpo-texts.js';
import type { Session, SessionStore } from './sessions.js';
import type { UiTexts } from './ui-texts.js';

export const DPO_COOKIE = 'lk_dpo';
export const CUSTOMER_COOKIE = 'lk_me';

declare module 'fastify' {
  interface FastifyRequest {
    /** The sessions the request's cookies name, read from Redis before the handler. */
    consoleSessions?: {
      readonly dpo?: Extract<Session, { kind: 'dpo' }>;
      readonly customer?: Extract<Session, { kind: 'customer' }>;
    };
  }
}

/**
 * Reads the request's sessions once, before its handler (a console-scope preHandler), so
 * the handlers find them synchronously; each read renews the session's idle timeout.
 */
export async function loadSessions(
  sessions: SessionStore,
  request: FastifyRequest,
  texts: UiTexts,
) {
  const cookies = readCookies(request.headers.cookie);
  const dpo = await sessions.get(cookies.get(DPO_COOKIE), 'dpo');
  if (dpo) {
    // The console's language switch: a page asked for with ?lang= keeps that language.
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    if (request.method === 'GET' && asked !== undefined && dpoLanguage(asked) !== dpo.language) {
      dpo.language = dpoLanguage(asked);
      await sessions.save(dpo);
    }
    dpo.t = dpoTexts(texts, dpoLanguage(dpo.language));
  }
  const customer = await sessions.get(cookies.get(CUSTOMER_COOKIE), 'customer');
  request.consoleSessions = { ...(dpo ? { dpo } : {}), ...(customer ? { customer } : {}) };
}

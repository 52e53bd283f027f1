import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { readCookies, sessionCookie } from './cookies.js';
import { customerCookie } from './customer-session.js';
import { html, page } from './html.js';
import type { PendingSignIn } from './oidc-client.js';
import { type SessionStore, sameSecret } from './sessions.js';
import { languageOf } from './ui-texts.js';

const STATE_COOKIE = 'lk_oidc';
const PENDING_MS = 10 * 60_000;

/**
 * Sign-in to the customer's page through the utility's identity provider (production).
 * The identity code from the ID token is hashed and looked up like the DPO's; it is never
 * stored or shown. The state travels in its own cookie (SameSite=Lax: the provider's
 * redirect back is a cross-site navigation) and must match the pending sign-in.
 */
export function customerOidc(app: FastifyInstance, deps: ConsoleDeps, sessions: SessionStore) {
  const oidc = deps.oidc;
  if (!oidc) return;
  const pending = new Map<string, PendingSignIn & { expiresMs: number }>();

  app.get('/me/oidc/start', async (request, reply) => {
    for (const [k, p] of pending) if (p.expiresMs < Date.now()) pending.delete(k);
    const { url, pending: p } = await oidc.start();
    pending.set(p.state, { ...p, expiresMs: Date.now() + PENDING_MS });
    const cookie = sessionCookie(STATE_COOKIE, p.state, {
      path: '/me/oidc',
      maxAgeSeconds: PENDING_MS / 1000,
      secure: request.protocol === 'https',
    }).replace('SameSite=Strict', 'SameSite=Lax');
    return reply.code(303).header('set-cookie', cookie).header('location', url).send();
  });

  app.get<{ Querystring: { code?: string; state?: string } }>(
    '/me/oidc/callback',
    async (request, reply) => {
      const language = languageOf(deps.texts, undefined);
      const text = deps.texts.languages[language] as Record<string, string>;
      const state = String(request.query.state ?? '');
      const bound = readCookies(request.headers.cookie).get(STATE_COOKIE) ?? '';
      const p = pending.get(state);
      pending.delete(state);
      const clear = sessionCookie(STATE_COOKIE, '', {
        path: '/me/oidc',
        maxAgeSeconds: 0,
        secure: false,
      });
      const refuse = () =>
        reply
          .code(401)
          .header('set-cookie', clear)
          .type('text/html')
          .send(
            page({
              title: text.signInTitle ?? '',
              lang: language,
              body: html`<p class="notice error">${text.signInFailed}</p>`,
            }),
          );
      if (!p || p.expiresMs < Date.now() || !sameSecret(state, bound) || !request.query.code)
        return refuse();
      const identity = await oidc.finish(request.query.code, p);
      const customerId = await deps.customerByIdentityCode(identity);
      if (!customerId) return refuse();
      const session = await sessions.create({ kind: 'customer', customerId, language });
      // A page, not a redirect: the session cookie is SameSite=Strict, and a redirect chain
      // that began at the provider would not send it; the page's own link does.
      return reply
        .header('set-cookie', [
          clear,
          customerCookie(request, session.id, Math.round(deps.sessionIdleMs / 1000)),
        ])
        .type('text/html')
        .send(
          page({
            title: text.signInTitle ?? '',
            lang: language,
            body: html`<p><a href="/me" id="continue" data-auto="1">${text.continue}</a></p>`,
          }),
        );
    },
  );
}

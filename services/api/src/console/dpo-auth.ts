import type { Language } from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { readCookies, sessionCookie } from './cookies.js';
import { dpoPage, notice } from './dpo-layout.js';
import { dpoCookie } from './dpo-session.js';
import { dpoLanguage, dpoTexts } from './dpo-texts.js';
import { html } from './html.js';
import { randomToken, type SessionStore, sameSecret } from './sessions.js';

const PRE_COOKIE = 'lk_pre';

/**
 * Sign-in with a DPO account: the DPO's rights-API token (role `dpo`), typed into a
 * password field and posted, never in a URL. The token stays in the server's session; the
 * browser holds only a random session id in an httpOnly, SameSite=Strict cookie. The
 * sign-in form itself is protected by a pre-session value (cookie and field must match).
 */
export function dpoAuth(app: FastifyInstance, deps: ConsoleDeps, sessions: SessionStore) {
  const signInForm = (pre: string, language: Language, error?: string) => {
    const t = dpoTexts(deps.texts, language);
    return dpoPage(
      undefined,
      t('signIn.title'),
      html`${notice(error ? t(error) : undefined, 'error')}<form method="post" action="/console/sign-in" class="card"><input type="hidden" name="csrf" value="${pre}"><input type="hidden" name="lang" value="${language}"><label for="token">${t('signIn.token')}</label><input id="token" name="token" type="password" autocomplete="current-password" required><button type="submit">${t('signIn.button')}</button></form><p class="hint">${t('signIn.hint')} <code>npm run rights -- token create --role dpo</code></p>`,
      { t },
    );
  };
  const freshPre = (secure: boolean) => {
    const pre = randomToken();
    return {
      pre,
      cookie: sessionCookie(PRE_COOKIE, pre, { path: '/console', maxAgeSeconds: 900, secure }),
    };
  };

  app.get<{ Querystring: { lang?: string } }>('/console/sign-in', async (request, reply) => {
    const { pre, cookie } = freshPre(request.protocol === 'https');
    const language = dpoLanguage(undefined, request.query.lang);
    return reply.header('set-cookie', cookie).type('text/html').send(signInForm(pre, language));
  });

  app.post<{ Body: Record<string, string> }>('/console/sign-in', async (request, reply) => {
    const body = request.body ?? {};
    const pre = readCookies(request.headers.cookie).get(PRE_COOKIE) ?? '';
    if (!pre || !sameSecret(body.csrf, pre))
      return reply.code(403).send({ error: 'the form is stale or forged (CSRF token); reload it' });
    const token = typeof body.token === 'string' ? body.token : '';
    const found = token ? await deps.tokens.lookup(token) : undefined;
    const grant = found && 'grant' in found ? found.grant : undefined;
    const language = dpoLanguage(undefined, body.lang);
    if (grant?.role !== 'dpo') {
      const fresh = freshPre(request.protocol === 'https');
      return reply
        .code(401)
        .header('set-cookie', fresh.cookie)
        .type('text/html')
        .send(signInForm(fresh.pre, language, 'signIn.invalid'));
    }
    const session = await sessions.create({ kind: 'dpo', token, name: grant.name, language });
    return reply
      .code(303)
      .header('set-cookie', [
        dpoCookie(request, session.id, Math.round(deps.sessionIdleMs / 1000)),
        sessionCookie(PRE_COOKIE, '', { path: '/console', maxAgeSeconds: 0, secure: false }),
      ])
      .header('location', '/console')
      .send();
  });

  app.post<{ Body: Record<string, string> }>('/console/sign-out', async (request, reply) => {
    const session = request.consoleSessions?.dpo;
    if (!session || !sameSecret(request.body?.csrf, session.csrf))
      return reply.code(403).send({ error: 'the form is stale or forged (CSRF token); reload it' });
    await sessions.destroy(session.id);
    return reply
      .code(303)
      .header('set-cookie', dpoCookie(request, '', 0))
      .header('location', '/console/sign-in')
      .send();
  });
}

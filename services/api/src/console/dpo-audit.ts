import { AUDIT_ACTIONS } from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { apiError, dpoPage, notice, tOf } from './dpo-layout.js';
import { callApi, dpoSession } from './dpo-session.js';
import { html } from './html.js';
import type { SessionStore } from './sessions.js';

const PURPOSE = 'internal_operations';
const FILTERS = ['customer', 'actor', 'action', 'from', 'to'] as const;

interface Entry {
  chain: string;
  seq: number;
  at: string;
  actor: string;
  role: string;
  purpose: string;
  action: string;
  subject?: string;
  outcome: string;
}

/** A `datetime-local` value (no zone) read as UTC, as the page says. */
const asInstant = (value: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(value) ? `${value}:00Z` : value;

/** The audit trail (filter, chain verification). */
export function dpoAudit(app: FastifyInstance, deps: ConsoleDeps, sessions: SessionStore) {
  app.get<{ Querystring: Record<string, string> }>('/console/audit', async (request, reply) => {
    const session = dpoSession(sessions, request, reply);
    if (!session) return reply;
    const q = request.query;
    const t = tOf(session);
    const given = FILTERS.filter((k) => typeof q[k] === 'string' && q[k] !== '');
    let result = html`<p class="hint">${t('audit.hint')}</p>`;
    if (q.search === '1') {
      const params = new URLSearchParams(
        given.map((k): [string, string] => [
          k,
          k === 'from' || k === 'to' ? asInstant(q[k] ?? '') : (q[k] ?? ''),
        ]),
      );
      params.set('limit', '500');
      const answer = await callApi(deps, session, 'GET', `/v1/audit/entries?${params}`, PURPOSE);
      if (answer.status !== 200) result = notice(apiError(answer), 'error');
      else {
        const entries = (answer.body.entries as Entry[]).slice().reverse();
        result = html`<p>${t(answer.body.truncated ? 'audit.countTruncated' : 'audit.count', { count: String(answer.body.total) })}</p><div class="scroll" tabindex="0" role="region" aria-label="${t('nav.audit')}"><table id="audit-entries"><thead><tr><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.chain')}</th><th scope="col">${t('audit.actor')}</th><th scope="col">${t('audit.role')}</th><th scope="col">${t('subjects.purpose')}</th><th scope="col">${t('audit.action')}</th><th scope="col">${t('col.customer')}</th><th scope="col">${t('audit.outcome')}</th></tr></thead><tbody>${entries.map(
          (e) =>
            html`<tr><td>${e.at.slice(0, 19).replace('T', ' ')}</td><td>${e.chain} #${e.seq}</td><td>${e.actor}</td><td>${e.role}</td><td>${e.purpose}</td><td>${e.action}</td><td>${e.subject ?? ''}</td><td>${e.outcome}</td></tr>`,
        )}</tbody></table></div>`;
      }
    }
    const value = (k: string) => (typeof q[k] === 'string' ? q[k] : '');
    const body = html`<form method="get" action="/console/audit" class="card filters"><input type="hidden" name="search" value="1">
<label for="f-customer">${t('customerNumber')}</label><input id="f-customer" name="customer" value="${value('customer')}" inputmode="numeric">
<label for="f-actor">${t('audit.actor')}</label><input id="f-actor" name="actor" value="${value('actor')}">
<label for="f-action">${t('audit.action')}</label><select id="f-action" name="action"><option value="">${t('audit.any')}</option>${AUDIT_ACTIONS.map(
      (a) =>
        html`<option value="${a}"${a === value('action') ? html` selected` : ''}>${a}</option>`,
    )}</select>
<label for="f-from">${t('audit.from')}</label><input id="f-from" name="from" type="datetime-local" value="${value('from')}">
<label for="f-to">${t('audit.to')}</label><input id="f-to" name="to" type="datetime-local" value="${value('to')}">
<button type="submit">${t('audit.search')}</button></form>
<p><a href="/console/audit/verify">${t('audit.verifyLink')}</a></p>${result}`;
    return reply
      .type('text/html')
      .send(dpoPage(session, t('nav.audit'), body, { here: '/console/audit' }));
  });

  app.get('/console/audit/verify', async (request, reply) => {
    const session = dpoSession(sessions, request, reply);
    if (!session) return reply;
    const answer = await callApi(deps, session, 'GET', '/v1/audit/verify', PURPOSE);
    const t = tOf(session);
    const here = { here: '/console/audit/verify' };
    if (answer.status !== 200)
      return reply
        .type('text/html')
        .send(dpoPage(session, t('chains.title'), notice(apiError(answer), 'error'), here));
    const chains = answer.body.chains as Record<
      string,
      { ok: boolean; count: number; brokenAt?: number; reason?: string }
    >;
    const body = html`${notice(t(answer.body.ok ? 'chains.ok' : 'chains.broken'), answer.body.ok ? 'ok' : 'error')}<table id="chains"><thead><tr><th scope="col">${t('audit.chain')}</th><th scope="col">${t('chains.entries')}</th><th scope="col">${t('chains.result')}</th></tr></thead><tbody>${Object.entries(
      chains,
    ).map(
      ([name, c]) =>
        html`<tr><td>${name}</td><td>${c.count}</td><td>${c.ok ? t('chains.intact') : `${t('chains.brokenAt')} ${c.brokenAt ?? '?'}: ${c.reason ?? ''}`}</td></tr>`,
    )}</tbody></table>`;
    return reply.type('text/html').send(dpoPage(session, t('chains.title'), body, here));
  });
}

import { customerNumberProblem } from '@lukema/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { apiError, csrfField, dpoPage, notice, tOf } from './dpo-layout.js';
import { callApi, type DpoSessionOf, dpoForm, dpoSession } from './dpo-session.js';
import { type Html, html } from './html.js';
import type { SessionStore } from './sessions.js';

const PSEUDONYM = /^[0-9a-f]{32}$/;

/** Objections, erasure (with a confirmation) and re-identification, through the API. */
export function dpoSubjects(app: FastifyInstance, deps: ConsoleDeps, sessions: SessionStore) {
  const forms = (session: DpoSessionOf, t = tOf(session)) => html`
<section class="card" aria-labelledby="obj-h"><h2 id="obj-h">${t('subjects.objections')}</h2>
<form method="post" action="/console/objections">${csrfField(session)}
<label for="obj-customer">${t('customerNumber')}</label><input id="obj-customer" name="customerId" inputmode="numeric" required pattern="[1-9][0-9]{5,8}">
<div class="check"><input id="obj-dm" name="directMarketing" type="checkbox" value="yes"><label for="obj-dm">${t('subjects.objectsDm')}</label></div>
<div class="check"><input id="obj-mr" name="marketResearch" type="checkbox" value="yes"><label for="obj-mr">${t('subjects.objectsMr')}</label></div>
<button type="submit">${t('subjects.setObjections')}</button></form></section>
<section class="card" aria-labelledby="erase-h"><h2 id="erase-h">${t('subjects.erasure')}</h2>
<form method="post" action="/console/erasure/confirm">${csrfField(session)}
<label for="erase-customer">${t('customerNumber')}</label><input id="erase-customer" name="customerId" inputmode="numeric" required pattern="[1-9][0-9]{5,8}">
<button type="submit">${t('subjects.review')}</button></form></section>
<section class="card" aria-labelledby="hold-h"><h2 id="hold-h">${t('subjects.legalHold')}</h2>
<form method="post" action="/console/legal-hold">${csrfField(session)}
<label for="hold-customer">${t('customerNumber')}</label><input id="hold-customer" name="customerId" inputmode="numeric" required pattern="[1-9][0-9]{5,8}">
<label for="hold-reason">${t('subjects.holdReason')}</label><input id="hold-reason" name="reason" maxlength="300">
<div class="check"><input id="hold-release" name="release" type="checkbox" value="yes"><label for="hold-release">${t('subjects.holdRelease')}</label></div>
<button type="submit">${t('subjects.holdButton')}</button></form></section>
<section class="card" aria-labelledby="reid-h"><h2 id="reid-h">${t('subjects.reidentify')}</h2>
<form method="post" action="/console/reidentify">${csrfField(session)}
<label for="reid-pseudonym">${t('subjects.pseudonym')}</label><input id="reid-pseudonym" name="pseudonym" required pattern="[0-9a-f]{32}">
<label for="reid-purpose">${t('subjects.purpose')}</label><select id="reid-purpose" name="purpose"><option value="access_request">${t('purpose.access_request')}</option><option value="authority_request">${t('purpose.authority_request')}</option></select>
<button type="submit">${t('subjects.reidentifyButton')}</button></form></section>`;

  const show = (
    session: DpoSessionOf,
    reply: FastifyReply,
    top: Html,
    status = 200,
    title = tOf(session)('nav.subjects'),
  ) =>
    reply
      .code(status)
      .type('text/html')
      .send(dpoPage(session, title, html`${top}${forms(session)}`, { here: '/console/subjects' }));

  app.get('/console/subjects', async (request, reply) => {
    const session = dpoSession(sessions, request, reply);
    if (!session) return reply;
    return show(session, reply, html``);
  });

  app.post<{ Body: Record<string, string> }>('/console/objections', async (request, reply) => {
    const session = dpoForm(sessions, request, reply);
    if (!session) return reply;
    const body = request.body ?? {};
    const customerId = String(body.customerId ?? '');
    const answer = await callApi(
      deps,
      session,
      'PUT',
      `/v1/customers/${encodeURIComponent(customerId)}/objections`,
      'access_request',
      {
        directMarketing: body.directMarketing === 'yes',
        marketResearch: body.marketResearch === 'yes',
      },
    );
    return answer.status === 202
      ? show(session, reply, notice(tOf(session)('subjects.objectionsDone')))
      : show(session, reply, notice(apiError(answer), 'error'), answer.status);
  });

  app.post<{ Body: Record<string, string> }>('/console/erasure/confirm', async (request, reply) => {
    const session = dpoForm(sessions, request, reply);
    if (!session) return reply;
    const customerId = String(request.body?.customerId ?? '');
    const problem = customerNumberProblem(customerId);
    if (problem) return show(session, reply, notice(problem, 'error'), 400);
    const held = await deps.legalHolds.holdOf(customerId);
    if (held)
      return show(
        session,
        reply,
        notice(
          tOf(session)('subjects.heldRefused', {
            customer: customerId,
            since: held.at.slice(0, 10),
            reason: held.reason,
          }),
          'error',
        ),
        409,
      );
    const contracts = await deps.registry.contractsOfCustomer(customerId);
    const points = [...new Set(contracts.flatMap((c) => c.meteringPointIds))];
    const sites = new Set(contracts.map((c) => c.siteId));
    const t = tOf(session);
    const confirm = html`<section class="card danger" aria-labelledby="confirm-h"><h2 id="confirm-h">${t('erase.title', { customer: customerId })}</h2>
<p>${t('erase.intro')}</p><ul id="erasure-scope">
<li>${t('erase.contracts', { contracts: contracts.length, sites: sites.size })}</li>
<li>${t('erase.readings', { points: points.length })}</li>
<li>${t('erase.key')}</li>
<li>${t('erase.state')}</li>
<li>${t('erase.exports')}</li>
<li>${t('erase.page')}</li></ul>
<p>${t('erase.audit')}</p>
<form method="post" action="/console/erasure">${csrfField(session)}<input type="hidden" name="customerId" value="${customerId}">
<div class="check"><input id="erase-sure" name="confirm" type="checkbox" value="yes" required><label for="erase-sure">${t('erase.confirm', { customer: customerId })}</label></div>
<button type="submit" class="danger">${t('erase.button')}</button></form></section>`;
    return reply
      .type('text/html')
      .send(dpoPage(session, t('erase.pageTitle'), confirm, { here: '/console/subjects' }));
  });

  app.post<{ Body: Record<string, string> }>('/console/erasure', async (request, reply) => {
    const session = dpoForm(sessions, request, reply);
    if (!session) return reply;
    const customerId = String(request.body?.customerId ?? '');
    if (request.body?.confirm !== 'yes')
      return show(session, reply, notice(tOf(session)('erase.notConfirmed'), 'error'), 400);
    const answer = await callApi(
      deps,
      session,
      'POST',
      `/v1/customers/${encodeURIComponent(customerId)}/erasure`,
      'access_request',
    );
    // The customer's own page sessions end with their data.
    if (answer.status === 202) await sessions.destroyCustomer(customerId);
    return answer.status === 202
      ? show(
          session,
          reply,
          notice(tOf(session)('erase.requested', { request: String(answer.body.requestId) })),
        )
      : show(session, reply, notice(apiError(answer), 'error'), answer.status);
  });

  app.post<{ Body: Record<string, string> }>('/console/legal-hold', async (request, reply) => {
    const session = dpoForm(sessions, request, reply);
    if (!session) return reply;
    const customerId = String(request.body?.customerId ?? '');
    const release = request.body?.release === 'yes';
    const reason = String(request.body?.reason ?? '');
    const answer = await callApi(
      deps,
      session,
      'PUT',
      `/v1/customers/${encodeURIComponent(customerId)}/legal-hold`,
      'access_request',
      release ? { held: false } : { held: true, reason },
    );
    return answer.status === 200
      ? show(
          session,
          reply,
          notice(tOf(session)(release ? 'subjects.holdReleased' : 'subjects.holdSet')),
        )
      : show(session, reply, notice(apiError(answer), 'error'), answer.status);
  });

  app.post<{ Body: Record<string, string> }>('/console/reidentify', async (request, reply) => {
    const session = dpoForm(sessions, request, reply);
    if (!session) return reply;
    const pseudonym = String(request.body?.pseudonym ?? '');
    const purpose =
      request.body?.purpose === 'authority_request' ? 'authority_request' : 'access_request';
    if (!PSEUDONYM.test(pseudonym))
      return show(session, reply, notice(tOf(session)('subjects.pseudonymShape'), 'error'), 400);
    const answer = await callApi(deps, session, 'GET', `/v1/pseudonyms/${pseudonym}`, purpose);
    if (answer.status !== 200)
      return show(session, reply, notice(apiError(answer), 'error'), answer.status);
    const b = answer.body;
    return show(
      session,
      reply,
      html`<section class="card" aria-labelledby="who-h"><h2 id="who-h">${tOf(session)('subjects.pseudonym')} ${pseudonym}</h2><dl id="reidentified"><dt>${tOf(session)('col.customer')}</dt><dd>${String(b.customerId)}</dd><dt>${tOf(session)('reid.contract')}</dt><dd>${String(b.contractId)}</dd><dt>${tOf(session)('reid.meteringPoint')}</dt><dd>${String(b.meteringPointId)}</dd></dl><p class="hint">${tOf(session)('reid.recorded', { purpose: tOf(session)(`purpose.${purpose}`) })}</p></section>`,
    );
  });
}

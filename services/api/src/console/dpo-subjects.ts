import { customerNumberProblem } from '@lukema/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { apiError, csrfField, dpoPage, notice } from './dpo-layout.js';
import { callApi, type DpoSessionOf, dpoForm, dpoSession } from './dpo-session.js';
import { type Html, html } from './html.js';
import type { SessionStore } from './sessions.js';

const PSEUDONYM = /^[0-9a-f]{32}$/;

/** Objections, erasure (with a confirmation) and re-identification, through the API. */
export function dpoSubjects(app: FastifyInstance, deps: ConsoleDeps, sessions: SessionStore) {
  const forms = (session: DpoSessionOf) => html`
<section class="card" aria-labelledby="obj-h"><h2 id="obj-h">Objections</h2>
<form method="post" action="/console/objections">${csrfField(session)}
<label for="obj-customer">Customer number</label><input id="obj-customer" name="customerId" inputmode="numeric" required pattern="[1-9][0-9]{5,8}">
<div class="check"><input id="obj-dm" name="directMarketing" type="checkbox" value="yes"><label for="obj-dm">Objects to direct marketing</label></div>
<div class="check"><input id="obj-mr" name="marketResearch" type="checkbox" value="yes"><label for="obj-mr">Objects to market research</label></div>
<button type="submit">Set objections</button></form></section>
<section class="card" aria-labelledby="erase-h"><h2 id="erase-h">Erasure</h2>
<form method="post" action="/console/erasure/confirm">${csrfField(session)}
<label for="erase-customer">Customer number</label><input id="erase-customer" name="customerId" inputmode="numeric" required pattern="[1-9][0-9]{5,8}">
<button type="submit">Review what will be destroyed</button></form></section>
<section class="card" aria-labelledby="hold-h"><h2 id="hold-h">Legal hold</h2>
<form method="post" action="/console/legal-hold">${csrfField(session)}
<label for="hold-customer">Customer number</label><input id="hold-customer" name="customerId" inputmode="numeric" required pattern="[1-9][0-9]{5,8}">
<label for="hold-reason">Reason (to set a hold)</label><input id="hold-reason" name="reason" maxlength="300">
<div class="check"><input id="hold-release" name="release" type="checkbox" value="yes"><label for="hold-release">Release the hold instead</label></div>
<button type="submit">Set or release the hold</button></form></section>
<section class="card" aria-labelledby="reid-h"><h2 id="reid-h">Re-identify a pseudonym</h2>
<form method="post" action="/console/reidentify">${csrfField(session)}
<label for="reid-pseudonym">Pseudonym</label><input id="reid-pseudonym" name="pseudonym" required pattern="[0-9a-f]{32}">
<label for="reid-purpose">Purpose</label><select id="reid-purpose" name="purpose"><option value="access_request">access request</option><option value="authority_request">authority request</option></select>
<button type="submit">Re-identify</button></form></section>`;

  const show = (
    session: DpoSessionOf,
    reply: FastifyReply,
    top: Html,
    status = 200,
    title = 'Objections, erasure, re-identification',
  ) =>
    reply
      .code(status)
      .type('text/html')
      .send(dpoPage(session, title, html`${top}${forms(session)}`));

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
      ? show(session, reply, notice('The objections were recorded and sent to the registry.'))
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
          `A legal hold applies to customer ${customerId} since ${held.at.slice(0, 10)} (${held.reason}): the erasure is refused. Release the hold first.`,
          'error',
        ),
        409,
      );
    const contracts = await deps.registry.contractsOfCustomer(customerId);
    const points = [...new Set(contracts.flatMap((c) => c.meteringPointIds))];
    const sites = new Set(contracts.map((c) => c.siteId));
    const confirm = html`<section class="card danger" aria-labelledby="confirm-h"><h2 id="confirm-h">Erase customer ${customerId}?</h2>
<p>This destroys, and cannot be undone:</p><ul id="erasure-scope">
<li>${contracts.length} contract(s) at ${sites.size} site(s), with their periods, in the registry</li>
<li>the readings of ${points.length} metering point(s) in InfluxDB (every series under the customer's pseudonyms)</li>
<li>the customer's key (crypto-shredding: their pseudonyms can no longer be resolved)</li>
<li>parked readings, window digests and the identity-code hash of the customer</li>
<li>their access exports (jobs and files), and their objections</li></ul>
<p>The audit trail keeps that an erasure happened, without identifiers.</p>
<form method="post" action="/console/erasure">${csrfField(session)}<input type="hidden" name="customerId" value="${customerId}">
<div class="check"><input id="erase-sure" name="confirm" type="checkbox" value="yes" required><label for="erase-sure">I confirm the erasure of customer ${customerId}</label></div>
<button type="submit" class="danger">Erase</button></form></section>`;
    return reply.type('text/html').send(dpoPage(session, 'Confirm erasure', confirm));
  });

  app.post<{ Body: Record<string, string> }>('/console/erasure', async (request, reply) => {
    const session = dpoForm(sessions, request, reply);
    if (!session) return reply;
    const customerId = String(request.body?.customerId ?? '');
    if (request.body?.confirm !== 'yes')
      return show(
        session,
        reply,
        notice('The erasure was not confirmed; nothing was done.', 'error'),
        400,
      );
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
          notice(
            `The erasure was requested (request ${String(answer.body.requestId)}); the registry carries it out.`,
          ),
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
          notice(release ? 'The legal hold was released.' : 'The legal hold applies.'),
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
      return show(session, reply, notice('A pseudonym is 32 lowercase hex digits.', 'error'), 400);
    const answer = await callApi(deps, session, 'GET', `/v1/pseudonyms/${pseudonym}`, purpose);
    if (answer.status !== 200)
      return show(session, reply, notice(apiError(answer), 'error'), answer.status);
    const b = answer.body;
    return show(
      session,
      reply,
      html`<section class="card" aria-labelledby="who-h"><h2 id="who-h">Pseudonym ${pseudonym}</h2><dl id="reidentified"><dt>Customer</dt><dd>${String(b.customerId)}</dd><dt>Contract</dt><dd>${String(b.contractId)}</dd><dt>Metering point</dt><dd>${String(b.meteringPointId)}</dd></dl><p class="hint">Recorded in the audit trail with the purpose ${purpose}.</p></section>`,
    );
  });
}

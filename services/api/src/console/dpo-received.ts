import {
  accessRequestDeadline,
  daysLeft,
  type HeldAccessRequest,
  LANGUAGES,
  RECEIPT_CHANNELS,
} from '@lukema/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { csrfField, tOf } from './dpo-layout.js';
import { requestStepRoutes } from './dpo-request-steps.js';
import { type ApiAnswer, callApi, type DpoSessionOf } from './dpo-session.js';
import { html } from './html.js';
import type { SessionStore } from './sessions.js';

const PURPOSE = 'access_request';

/** The requests received and not yet approved, as the API lists them (DPO only). */
export async function heldRequestsOf(deps: ConsoleDeps, session: DpoSessionOf) {
  const answer = await callApi(deps, session, 'GET', '/v1/access-requests/received', PURPOSE);
  const requests = answer.status === 200 ? (answer.body.requests as HeldAccessRequest[]) : [];
  return { status: answer.status, requests };
}

/** The form that records a request received by letter, e-mail, phone or in person. */
export function receiveForm(session: DpoSessionOf) {
  const t = tOf(session);
  const today = new Date().toISOString().slice(0, 10);
  return html`<section aria-labelledby="receive-h" class="card"><h2 id="receive-h">${t('receive.title')}</h2>
<form method="post" action="/console/requests" autocomplete="off">${csrfField(session)}
<label for="customerId">${t('customerNumber')}</label><input id="customerId" name="customerId" inputmode="numeric" pattern="[1-9][0-9]{5,8}">
<label for="identityCode">${t('receive.identityCode')}</label><input id="identityCode" name="identityCode" type="password" autocomplete="off">
<label for="channel">${t('receive.channel')}</label><select id="channel" name="channel">${RECEIPT_CHANNELS.filter((c) => c !== 'customer_page').map((c) => html`<option value="${c}">${t(`channel.${c}`)}</option>`)}</select>
<label for="received">${t('receive.date')}</label><input id="received" name="received" type="date" max="${today}" value="${today}">
<label for="language">${t('receive.language')}</label><select id="language" name="language">${LANGUAGES.map((l) => html`<option value="${l}"${l === 'fi' ? html` selected` : ''}>${t(`language.${l}`)}</option>`)}</select>
<button type="submit">${t('receive.button')}</button></form></section>`;
}

/** The held requests: verify the identity, approve, or deny with a reason. */
export function receivedTable(session: DpoSessionOf, requests: readonly HeldAccessRequest[]) {
  if (requests.length === 0) return html``;
  const now = Date.now();
  const t = tOf(session);
  return html`<section aria-labelledby="received-h"><h2 id="received-h">${t('received.title')}</h2><div class="scroll" tabindex="0" role="region" aria-label="${t('received.title')}"><table id="held"><thead><tr><th scope="col">${t('col.request')}</th><th scope="col">${t('col.customer')}</th><th scope="col">${t('col.received')}</th><th scope="col">${t('col.status')}</th><th scope="col">${t('col.daysLeft')}</th><th scope="col">${t('col.actions')}</th></tr></thead><tbody>${requests.map(
    (r) => {
      const left = daysLeft(accessRequestDeadline(Date.parse(r.receivedAt)), now);
      const id = r.requestId;
      return html`<tr data-received="${id}"><td><code>${id.slice(0, 8)}</code></td><td>${r.customerId}</td><td>${r.receivedAt.slice(0, 10)}<br><small>${t(`channel.${r.channel}`)}</small></td><td class="status" data-status="${r.state}">${t(`status.${r.state}`)}${
        r.identityVerifiedBy
          ? html`<br><small>${t('received.identity')}: ${r.identityVerifiedBy}</small>`
          : ''
      }${r.deniedReason ? html`<br><small>${t('received.reason')}: ${r.deniedReason}</small>` : ''}</td><td class="days">${
        r.state === 'denied' ? '–' : html`<span class="${left < 7 ? 'late' : ''}">${left}</span>`
      }</td><td class="actions">${
        r.state === 'identity to verify'
          ? html`<form method="post" action="/console/requests/${id}/identity" class="extend">${csrfField(session)}<label for="method-${id}" class="hint">${t('received.method')}</label><input id="method-${id}" name="method" minlength="3" maxlength="300" required><button type="submit">${t('received.verify')}</button></form>`
          : ''
      }${
        r.state === 'new'
          ? html`<form method="post" action="/console/requests/${id}/approve" class="inline">${csrfField(session)}<button type="submit">${t('received.approve')}</button></form>`
          : ''
      }${
        r.state !== 'denied'
          ? html`<form method="post" action="/console/requests/${id}/deny" class="extend">${csrfField(session)}<label for="deny-${id}" class="hint">${t('received.denyReason')}</label><input id="deny-${id}" name="reason" minlength="3" maxlength="300" required><button type="submit">${t('received.deny')}</button></form>`
          : ''
      }</td></tr>`;
    },
  )}</tbody></table></div></section>`;
}

/** The held requests' steps, each through the API (audited there before it takes effect). */
export function dpoReceived(
  app: FastifyInstance,
  deps: ConsoleDeps,
  sessions: SessionStore,
  onError: (session: DpoSessionOf, reply: FastifyReply, answer: ApiAnswer) => unknown,
) {
  const ok = [200, 202];
  requestStepRoutes(
    app,
    deps,
    sessions,
    [
      {
        verb: 'identity',
        method: 'POST',
        path: '/identity',
        field: 'method',
        done: 'verified',
        ok,
      },
      { verb: 'approve', method: 'POST', path: '/approval', done: 'approved', ok },
      { verb: 'deny', method: 'POST', path: '/denial', field: 'reason', done: 'denied', ok },
    ],
    onError,
  );
}

import { accessRequestDeadline, accessRequestStatus, daysLeft } from '@lukema/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { EXPORT_FILES, type ExportFile } from '../export-builder.js';
import type { ConsoleDeps } from './console-deps.js';
import { apiError, csrfField, dpoPage, notice, tOf } from './dpo-layout.js';
import { dpoReceived, heldRequestsOf, receivedTable, receiveForm } from './dpo-received.js';
import { requestStepRoutes } from './dpo-request-steps.js';
import {
  type ApiAnswer,
  callApi,
  type DpoSessionOf,
  dpoCookie,
  dpoForm,
  dpoSession,
} from './dpo-session.js';
import { html } from './html.js';
import type { SessionStore } from './sessions.js';

const PURPOSE = 'access_request';
const REQUEST_ID = /^[0-9a-f]{32}$/;
/** The notices after a form, by `?done=` (their words are `dpo.done.*`). */
export const DONE = new Set([
  'started',
  'recorded',
  'verified',
  'approved',
  'denied',
  'retried',
  'cancelled',
  'extended',
]);

interface RequestRow {
  requestId: string;
  state: string;
  progress: number;
  createdAt: string;
  receivedAt?: string;
  result?: { found: boolean; readings: number };
  failedReason?: string;
  extension?: { at: string; reason: string };
}

/** The access-request queue: start, follow, retry, cancel and download, through the API. */
export function dpoRequests(app: FastifyInstance, deps: ConsoleDeps, sessions: SessionStore) {
  /** The queue as the API lists it (recorded as `export.list`), with the delivered ones. */
  const queue = async (session: DpoSessionOf) => {
    const answer = await callApi(deps, session, 'GET', '/v1/access-requests', PURPOSE);
    if (answer.status !== 200) return { answer, rows: [] as RequestRow[], delivered: new Set() };
    const delivered = new Set(
      (await deps.auditRecords())
        .filter((r) => r.action === 'export.download' && r.outcome === 'succeeded')
        .map((r) => String(r.details?.requestId ?? '')),
    );
    const rows = (answer.body.requests as RequestRow[]).sort((a, b) =>
      b.createdAt.localeCompare(a.createdAt),
    );
    return { answer, rows, delivered };
  };
  /** A revoked or expired token ends the console session too. */
  const signedOut = (session: DpoSessionOf, reply: FastifyReply, status: number) => {
    if (status !== 401) return false;
    void sessions.destroy(session.id).catch(() => undefined);
    void reply.code(303).header('location', '/console/sign-in').send();
    return true;
  };

  const render = async (
    session: DpoSessionOf,
    reply: FastifyReply,
    message?: { text: string; kind: 'ok' | 'error' },
    status = 200,
  ) => {
    const { answer, rows, delivered } = await queue(session);
    if (signedOut(session, reply, answer.status)) return reply;
    const held = await heldRequestsOf(deps, session);
    const now = Date.now();
    const t = tOf(session);
    const body = html`${notice(message?.text, message?.kind)}
${receiveForm(session)}
${receivedTable(session, held.requests)}
<section aria-labelledby="queue-h"><h2 id="queue-h">${t('queue.title')}</h2>
${
  rows.length === 0
    ? html`<p>${t('queue.empty')}</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-label="${t('queue.title')}"><table id="queue"><thead><tr><th scope="col">${t('col.request')}</th><th scope="col">${t('col.received')}</th><th scope="col">${t('col.status')}</th><th scope="col">${t('col.progress')}</th><th scope="col">${t('col.daysLeft')}</th><th scope="col">${t('col.actions')}</th></tr></thead><tbody>${rows.map(
        (r) => {
          const st = accessRequestStatus(r.state, r.result?.found, delivered.has(r.requestId));
          // The deadline counts from receipt, not from the approval that queued the export.
          const received = r.receivedAt ?? r.createdAt;
          const left = daysLeft(
            accessRequestDeadline(Date.parse(received), r.extension !== undefined),
            now,
          );
          const open = st !== 'delivered' && st !== 'nothing found' && st !== 'cancelled';
          return html`<tr data-request="${r.requestId}"><td><code>${r.requestId.slice(0, 8)}</code></td><td>${received.slice(0, 10)}</td><td class="status" data-status="${st}">${t(`status.${st}`)}${r.failedReason ? html`<br><small>${r.failedReason}</small>` : ''}</td><td><progress max="100" value="${r.progress}" aria-label="${t('col.progress')} ${r.requestId.slice(0, 8)}">${r.progress} %</progress></td><td class="days">${
            open ? html`<span class="${left < 7 ? 'late' : ''}">${left}</span>` : '–'
          }${
            r.extension
              ? html`<br><small>${t('queue.extended')}: ${r.extension.reason}</small>`
              : open
                ? html`<form method="post" action="/console/requests/${r.requestId}/extend" class="extend">${csrfField(session)}<label for="reason-${r.requestId}" class="hint">${t('queue.extendReason')}</label><input id="reason-${r.requestId}" name="reason" minlength="3" maxlength="300" required><button type="submit">${t('queue.extend')}</button></form>`
                : ''
          }</td><td class="actions">${
            st === 'ready' || st === 'delivered'
              ? EXPORT_FILES.map(
                  (f) =>
                    html`<a href="/console/requests/${r.requestId}/files/${f}" download>${f.replace('access-', '')}</a> `,
                )
              : ''
          }${
            st === 'failed'
              ? html`<form method="post" action="/console/requests/${r.requestId}/retry" class="inline">${csrfField(session)}<button type="submit">${t('queue.retry')}</button></form>`
              : ''
          }${
            st === 'approved' || st === 'failed'
              ? html`<form method="post" action="/console/requests/${r.requestId}/cancel" class="inline">${csrfField(session)}<button type="submit">${t('queue.cancel')}</button></form>`
              : ''
          }</td></tr>`;
        },
      )}</tbody></table></div><p class="hint">${t('queue.daysHint')}</p>`
}</section>`;
    return reply
      .code(status)
      .type('text/html')
      .send(dpoPage(session, t('nav.requests'), body));
  };

  app.get<{ Querystring: { done?: string } }>('/console', async (request, reply) => {
    const session = dpoSession(sessions, request, reply);
    if (!session) return reply;
    const done = String(request.query.done ?? '');
    // Renew the cookie with the sliding session.
    void reply.header('set-cookie', dpoCookie(request, session.id, deps.sessionIdleMs / 1000));
    return render(
      session,
      reply,
      DONE.has(done) ? { text: tOf(session)(`done.${done}`), kind: 'ok' } : undefined,
    );
  });

  app.get('/console/requests/progress', async (request, reply) => {
    const session = dpoSession(sessions, request, reply);
    if (!session) return reply;
    const { answer, rows, delivered } = await queue(session);
    if (answer.status !== 200) return reply.code(answer.status).send({ error: apiError(answer) });
    return {
      requests: rows.map((r) => ({
        requestId: r.requestId,
        progress: r.progress,
        status: accessRequestStatus(r.state, r.result?.found, delivered.has(r.requestId)),
        label: tOf(session)(
          `status.${accessRequestStatus(r.state, r.result?.found, delivered.has(r.requestId))}`,
        ),
      })),
    };
  });

  app.post<{ Body: Record<string, string> }>('/console/requests', async (request, reply) => {
    const session = dpoForm(sessions, request, reply);
    if (!session) return reply;
    const {
      customerId = '',
      identityCode = '',
      language = 'fi',
      channel = '',
      received = '',
    } = request.body ?? {};
    if ((customerId === '') === (identityCode === ''))
      return render(session, reply, { text: tOf(session)('receive.either'), kind: 'error' }, 400);
    // Recorded as received (identity to verify); the export waits for the approval.
    const answer = await callApi(deps, session, 'POST', '/v1/access-requests/received', PURPOSE, {
      ...(customerId ? { customerId } : { personalIdentityCode: identityCode }),
      channel,
      ...(received ? { received } : {}),
      language,
    });
    if (signedOut(session, reply, answer.status)) return reply;
    if (answer.status !== 201)
      return render(session, reply, { text: apiError(answer), kind: 'error' }, answer.status);
    return reply.code(303).header('location', '/console?done=recorded').send();
  });

  const failed = (session: DpoSessionOf, reply: FastifyReply, answer: ApiAnswer) =>
    signedOut(session, reply, answer.status)
      ? reply
      : render(session, reply, { text: apiError(answer), kind: 'error' }, answer.status);
  dpoReceived(app, deps, sessions, failed);
  requestStepRoutes(
    app,
    deps,
    sessions,
    [
      { verb: 'retry', method: 'POST', path: '/retry', done: 'retried', ok: [200] },
      { verb: 'cancel', method: 'DELETE', path: '', done: 'cancelled', ok: [200] },
      {
        verb: 'extend',
        method: 'POST',
        path: '/extension',
        field: 'reason',
        done: 'extended',
        ok: [200],
      },
    ],
    failed,
  );

  app.get<{ Params: { id: string; file: string } }>(
    '/console/requests/:id/files/:file',
    async (request, reply) => {
      const session = dpoSession(sessions, request, reply);
      if (!session) return reply;
      const file = request.params.file as ExportFile;
      if (!REQUEST_ID.test(request.params.id) || !EXPORT_FILES.includes(file))
        return reply.code(404).send({ error: 'no such file' });
      const answer = await callApi(
        deps,
        session,
        'GET',
        `/v1/access-requests/${request.params.id}/files/${file}`,
        PURPOSE,
      );
      if (answer.status !== 200) return reply.code(answer.status).send({ error: apiError(answer) });
      return reply
        .header('content-type', String(answer.headers['content-type']))
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(answer.raw);
    },
  );
}

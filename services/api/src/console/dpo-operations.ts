import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OperationsOverview, ServiceStatus } from '../operations.js';
import type { ConsoleDeps } from './console-deps.js';
import { apiError, csrfField, dpoPage, notice, tOf } from './dpo-layout.js';
import { type ApiAnswer, callApi, type DpoSessionOf, dpoForm, dpoSession } from './dpo-session.js';
import type { DpoT } from './dpo-texts.js';
import { type Html, html } from './html.js';
import type { SessionStore } from './sessions.js';

const PURPOSE = 'internal_operations';
const KIND = /^[a-z0-9][a-z0-9 _-]{0,47}$/;
const COUNT = /^\d{1,9}$/;

/** An instant as the page shows it: UTC to the second. */
const when = (iso: string | undefined) => (iso ? `${iso.slice(0, 19).replace('T', ' ')}` : '—');

/** A word from a closed list (`ops.<list>.<value>`: a state, a count's name), else itself. */
const word = (t: DpoT, list: 'state' | 'health' | 'jobs', value: string) => {
  const key = `ops.${list}.${value}`;
  const text = t(key);
  return text === key ? value : text;
};

function servicesCard(o: OperationsOverview, t: DpoT): Html {
  const row = (s: ServiceStatus) => {
    const why = Object.entries(s.reasons).map(
      ([engine, text]) => html`<li>${engine}: ${text}</li>`,
    );
    const scraped = s.scrape
      ? html`${when(s.scrape.lastScrapeAt)} (${word(t, 'health', s.scrape.health)})`
      : o.prometheus.ok
        ? t('ops.notTarget')
        : t('ops.unknown');
    return html`<tr data-service="${s.name}"><th scope="row">${s.name}</th><td class="state ${s.state === 'ready' ? 'ok' : 'bad'}">${word(t, 'state', s.state)}</td><td>${why.length ? html`<ul class="reasons">${why}</ul>` : '—'}</td><td>${when(s.checkedAt)}</td><td>${scraped}</td></tr>`;
  };
  const prometheus = o.prometheus.ok
    ? html``
    : notice(t('ops.prometheusDown', { url: o.prometheusUrl }), 'error');
  return html`<section class="card" aria-labelledby="h-services"><h2 id="h-services">${t('ops.services')}</h2>${prometheus}<div class="scroll" tabindex="0" role="region" aria-label="${t('ops.services')}"><table id="services"><thead><tr><th scope="col">${t('ops.service')}</th><th scope="col">${t('ops.readiness')}</th><th scope="col">${t('ops.whyNot')}</th><th scope="col">${t('ops.asked')}</th><th scope="col">${t('ops.scraped')}</th></tr></thead><tbody>${o.services.map(row)}</tbody></table></div></section>`;
}

function lagCard(o: OperationsOverview, t: DpoT): Html {
  const body = o.lag.ok
    ? html`<div class="scroll" tabindex="0" role="region" aria-label="${t('ops.lagTitle')}"><table id="lag"><thead><tr><th scope="col">${t('ops.group')}</th><th scope="col">${t('ops.topic')}</th><th scope="col">${t('ops.lagTotal')}</th><th scope="col">${t('ops.perPartition')}</th></tr></thead><tbody>${o.lag.value.map(
        (l) =>
          html`<tr data-group="${l.group}" data-topic="${l.topic}"><td>${l.group}</td><td>${l.topic}</td><td class="lag">${l.total}</td><td>${Object.entries(
            l.partitions,
          )
            .map(([p, n]) => `${p}:\u00a0${n}`)
            .join(', ')}</td></tr>`,
      )}</tbody></table></div>`
    : notice(t('ops.lagUnavailable', { error: o.lag.error }), 'error');
  return html`<section class="card" aria-labelledby="h-lag"><h2 id="h-lag">${t('ops.lagTitle')}</h2><p class="hint">${t('ops.lagHint')}</p>${body}</section>`;
}

function deadLettersCard(o: OperationsOverview, session: DpoSessionOf): Html {
  const t = tOf(session);
  const title = html`<h2 id="h-dlq">${t('ops.dlqTitle')}</h2>`;
  if (!o.deadLetters.ok)
    return html`<section class="card" aria-labelledby="h-dlq">${title}${notice(t('ops.dlqUnavailable', { error: o.deadLetters.error }), 'error')}</section>`;
  const kinds = o.deadLetters.value.kinds;
  const rows = kinds.map((k) => {
    const replay =
      k.topic === o.replayableTopic
        ? html`<form method="post" action="/console/operations/replay" class="inline">${csrfField(session)}<input type="hidden" name="reason" value="${k.kind}"><button type="submit" aria-label="${t('ops.replayLabel', { kind: k.kind })}">${t('ops.replay')}</button></form>`
        : html`<span class="hint">${t('ops.fixedAtSource')}</span>`;
    return html`<tr data-topic="${k.topic}" data-kind="${k.kind}"><td>${k.topic}</td><th scope="row">${k.kind}</th><td class="letters">${k.letters}</td><td class="awaiting">${k.awaitingReplay ?? '—'}</td><td>${when(k.oldestAt)}</td><td>${when(k.newestAt)}</td><td>${replay}</td></tr>`;
  });
  const table = kinds.length
    ? html`<div class="scroll" tabindex="0" role="region" aria-label="${t('ops.dlqTitle')}"><table id="dead-letters"><thead><tr><th scope="col">${t('ops.topic')}</th><th scope="col">${t('ops.kind')}</th><th scope="col">${t('ops.letters')}</th><th scope="col">${t('ops.awaiting')}</th><th scope="col">${t('ops.oldest')}</th><th scope="col">${t('ops.newest')}</th><th scope="col">${t('ops.action')}</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p id="dead-letters-none">${t('ops.dlqNone')}</p>`;
  const truncated = o.deadLetters.value.truncated ? ` ${t('ops.dlqTruncated')}` : '';
  return html`<section class="card" aria-labelledby="h-dlq">${title}<p class="hint">${t('ops.dlqHint', { target: o.replayTarget })}${truncated}</p>${table}</section>`;
}

/** The result of a replay, carried in the address after the form (numbers and a kind). */
function replayNotice(q: Record<string, string>, t: DpoT): Html {
  const { kind = '', replayed = '', left = '', kept = '' } = q;
  if (!KIND.test(kind) || ![replayed, left, kept].every((n) => COUNT.test(n))) return html``;
  return notice(t('ops.replayed', { kind, replayed, left, kept }));
}

/** A refused or failed replay in the DPO's words (the API's own text for the unforeseen). */
function replayError(answer: ApiAnswer, t: DpoT): string {
  if (answer.status === 409) return t('ops.replayBusy');
  if (answer.status === 400) return t('ops.replayBadKind');
  return t('ops.replayFailed', { error: apiError(answer) });
}

/** The operator's corner: readiness, lag, dead letters by kind with their replay, exports. */
export function dpoOperations(app: FastifyInstance, deps: ConsoleDeps, sessions: SessionStore) {
  const render = async (
    session: DpoSessionOf,
    reply: FastifyReply,
    message: Html,
    status = 200,
  ) => {
    const [overview, counts] = await Promise.all([
      deps.operations.overview(),
      deps.exports.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed'),
    ]);
    const t = tOf(session);
    const exportsCard = html`<section class="card" aria-labelledby="h-exports"><h2 id="h-exports">${t('ops.exportsTitle')}</h2><p class="hint">${t('ops.exportsHint')}</p><table id="export-queue"><tbody>${Object.entries(
      counts,
    ).map(
      ([k, v]) =>
        html`<tr data-count="${k}"><th scope="row">${word(t, 'jobs', k)}</th><td>${v}</td></tr>`,
    )}</tbody></table></section>`;
    const body = html`${message}${servicesCard(overview, t)}${lagCard(overview, t)}${deadLettersCard(overview, session)}${exportsCard}`;
    return reply
      .code(status)
      .type('text/html')
      .send(dpoPage(session, t('nav.operations'), body, { here: '/console/operations' }));
  };

  app.get<{ Querystring: Record<string, string> }>(
    '/console/operations',
    async (request, reply) => {
      const session = dpoSession(sessions, request, reply);
      if (!session) return reply;
      return render(session, reply, replayNotice(request.query, tOf(session)));
    },
  );

  app.post<{ Body: Record<string, string> }>(
    '/console/operations/replay',
    async (request, reply) => {
      const session = dpoForm(sessions, request, reply);
      if (!session) return reply;
      const answer = await callApi(deps, session, 'POST', '/v1/dead-letters/replay', PURPOSE, {
        reason: String(request.body?.reason ?? ''),
      });
      if (answer.status === 401) {
        await sessions.destroy(session.id);
        return reply.code(303).header('location', '/console/sign-in').send();
      }
      if (answer.status !== 200)
        return render(
          session,
          reply,
          notice(replayError(answer, tOf(session)), 'error'),
          answer.status,
        );
      const b = answer.body;
      const query = new URLSearchParams({
        kind: String(b.reason),
        replayed: String(b.replayed),
        left: String(b.alreadyReplayed),
        kept: String(b.kept),
      });
      return reply.code(303).header('location', `/console/operations?${query}`).send();
    },
  );
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OperationsOverview, ServiceStatus } from '../operations.js';
import type { ConsoleDeps } from './console-deps.js';
import { apiError, csrfField, dpoPage, notice } from './dpo-layout.js';
import { callApi, type DpoSessionOf, dpoForm, dpoSession } from './dpo-session.js';
import { type Html, html } from './html.js';
import type { SessionStore } from './sessions.js';

const PURPOSE = 'internal_operations';
const KIND = /^[a-z0-9][a-z0-9 _-]{0,47}$/;
const COUNT = /^\d{1,9}$/;

/** An instant as the page shows it: UTC to the second. */
const when = (iso: string | undefined) => (iso ? `${iso.slice(0, 19).replace('T', ' ')}` : '—');

function servicesCard(o: OperationsOverview): Html {
  const row = (s: ServiceStatus) => {
    const why = Object.entries(s.reasons).map(
      ([engine, text]) => html`<li>${engine}: ${text}</li>`,
    );
    const scraped = s.scrape
      ? html`${when(s.scrape.lastScrapeAt)} (${s.scrape.health})`
      : o.prometheus.ok
        ? 'not a Prometheus target'
        : 'unknown';
    return html`<tr data-service="${s.name}"><th scope="row">${s.name}</th><td class="state ${s.state === 'ready' ? 'ok' : 'bad'}">${s.state}</td><td>${why.length ? html`<ul class="reasons">${why}</ul>` : '—'}</td><td>${when(s.checkedAt)}</td><td>${scraped}</td></tr>`;
  };
  const prometheus = o.prometheus.ok
    ? html``
    : notice(
        `${o.prometheus.error}: last-scrape times and alerts are unavailable; readiness is asked of each service and lag and dead letters are read from Kafka directly.`,
        'error',
      );
  return html`<section class="card" aria-labelledby="h-services"><h2 id="h-services">Services</h2>${prometheus}<div class="scroll" tabindex="0" role="region" aria-label="services"><table id="services"><thead><tr><th scope="col">Service</th><th scope="col">Readiness (/readyz)</th><th scope="col">Why not</th><th scope="col">Asked (UTC)</th><th scope="col">Last scraped by Prometheus (UTC)</th></tr></thead><tbody>${o.services.map(row)}</tbody></table></div></section>`;
}

function lagCard(o: OperationsOverview): Html {
  const body = o.lag.ok
    ? html`<div class="scroll" tabindex="0" role="region" aria-label="consumer lag"><table id="lag"><thead><tr><th scope="col">Group</th><th scope="col">Topic</th><th scope="col">Lag (messages)</th><th scope="col">Per partition</th></tr></thead><tbody>${o.lag.value.map(
        (l) =>
          html`<tr data-group="${l.group}" data-topic="${l.topic}"><td>${l.group}</td><td>${l.topic}</td><td class="lag">${l.total}</td><td>${Object.entries(
            l.partitions,
          )
            .map(([p, n]) => `${p}: ${n}`)
            .join(', ')}</td></tr>`,
      )}</tbody></table></div>`
    : notice(`Consumer lag is unavailable: ${o.lag.error}`, 'error');
  return html`<section class="card" aria-labelledby="h-lag"><h2 id="h-lag">Consumer lag</h2><p class="hint">From Kafka now: end offset minus the group's committed offset. It keeps rising while every member of a group is down.</p>${body}</section>`;
}

function deadLettersCard(o: OperationsOverview, session: DpoSessionOf): Html {
  if (!o.deadLetters.ok)
    return html`<section class="card" aria-labelledby="h-dlq"><h2 id="h-dlq">Dead letters by reason</h2>${notice(`Dead letters are unavailable: ${o.deadLetters.error}`, 'error')}</section>`;
  const kinds = o.deadLetters.value.kinds;
  const rows = kinds.map((k) => {
    const replay =
      k.topic === o.replayableTopic
        ? html`<form method="post" action="/console/operations/replay" class="inline">${csrfField(session)}<input type="hidden" name="reason" value="${k.kind}"><button type="submit" aria-label="Replay the dead letters of kind ${k.kind}">Replay</button></form>`
        : html`<span class="hint">fixed at the source</span>`;
    return html`<tr data-topic="${k.topic}" data-kind="${k.kind}"><td>${k.topic}</td><th scope="row">${k.kind}</th><td class="letters">${k.letters}</td><td class="awaiting">${k.awaitingReplay ?? '—'}</td><td>${when(k.oldestAt)}</td><td>${when(k.newestAt)}</td><td>${replay}</td></tr>`;
  });
  const table = kinds.length
    ? html`<div class="scroll" tabindex="0" role="region" aria-label="dead letters"><table id="dead-letters"><thead><tr><th scope="col">Topic</th><th scope="col">Reason kind</th><th scope="col">Letters</th><th scope="col">Not replayed yet</th><th scope="col">Oldest (UTC)</th><th scope="col">Newest (UTC)</th><th scope="col">Action</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p id="dead-letters-none">No dead letters.</p>`;
  return html`<section class="card" aria-labelledby="h-dlq"><h2 id="h-dlq">Dead letters by reason</h2><p class="hint">Counted on the dead-letter topics by reason kind (the words before the reason's colon); no payload or identifier is read out. A replay re-queues the letters of one kind that no replay re-queued yet, once each, to ${o.replayTarget}; it is recorded in the audit trail first.${o.deadLetters.value.truncated ? ' Only the newest 100,000 letters per partition are counted.' : ''}</p>${table}</section>`;
}

/** The result of a replay, carried in the address after the form (numbers and a kind). */
function replayNotice(q: Record<string, string>): Html {
  const { kind = '', replayed = '', left = '', kept = '' } = q;
  if (!KIND.test(kind) || ![replayed, left, kept].every((n) => COUNT.test(n))) return html``;
  return notice(
    `Replay of "${kind}": ${replayed} replayed, ${left} left out (replayed before), ${kept} of other kinds kept for a later replay.`,
  );
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
    const exportsCard = html`<section class="card" aria-labelledby="h-exports"><h2 id="h-exports">Export queue</h2><table id="export-queue"><tbody>${Object.entries(
      counts,
    ).map(
      ([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`,
    )}</tbody></table></section>`;
    const body = html`${message}${servicesCard(overview)}${lagCard(overview)}${deadLettersCard(overview, session)}${exportsCard}`;
    return reply
      .code(status)
      .type('text/html')
      .send(dpoPage(session, 'Operations', body));
  };

  app.get<{ Querystring: Record<string, string> }>(
    '/console/operations',
    async (request, reply) => {
      const session = dpoSession(sessions, request, reply);
      if (!session) return reply;
      return render(session, reply, replayNotice(request.query));
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
        return render(session, reply, notice(apiError(answer), 'error'), answer.status);
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

import { randomUUID } from 'node:crypto';
import {
  type AuditAction,
  datahubCsv,
  type ExportReading,
  LANGUAGES,
  receivedRequest,
} from '@lukema/core';
import { objectionEventValue } from '@lukema/schemas';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { appendFirst } from '../audit-first.js';
import { disclosuresOf } from '../export-builder.js';
import { barChart } from './bar-chart.js';
import type { ConsoleDeps } from './console-deps.js';
import { totalsOf } from './consumption.js';
import { type CustomerSessionOf, customerCookie, customerSession } from './customer-session.js';
import { type Html, html, page } from './html.js';
import { type SessionStore, sameSecret } from './sessions.js';
import { languageOf } from './ui-texts.js';

/** The customer's own page: their sites, charts, downloads, objections and accesses. */
export function customerPages(app: FastifyInstance, deps: ConsoleDeps, sessions: SessionStore) {
  const t = (language: string) =>
    deps.texts.languages[languageOf(deps.texts, language)] as Record<string, string>;
  const languageLinks = (current: string) =>
    html`<nav aria-label="${t(current).language}" class="languages">${LANGUAGES.map((l) =>
      l === current
        ? html`<span aria-current="true">${t(l).languageName}</span> `
        : html`<a href="?lang=${l}" lang="${l}">${t(l).languageName}</a> `,
    )}</nav>`;
  const customerPage = (language: string, title: string, body: Html, session?: CustomerSessionOf) =>
    page({
      title,
      lang: language,
      header: html`${languageLinks(language)}${
        session
          ? html`<form method="post" action="/me/sign-out" class="inline"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit">${t(language).signOut}</button></form>`
          : ''
      }`,
      body,
    });
  /** What the customer did, recorded before they see or get it. */
  const recordSelf = (
    session: CustomerSessionOf,
    action: AuditAction,
    details: Record<string, string | boolean>,
  ) =>
    appendFirst(deps.audit, {
      at: new Date().toISOString(),
      actor: 'customer',
      role: 'customer',
      purpose: 'access_request',
      action,
      outcome: 'succeeded',
      subject: session.customerId,
      details,
    });
  /** Exactly the customer's readings: each active contract's series within its period. */
  const dataOf = async (customerId: string) => {
    const contracts = (await deps.registry.contractsOfCustomer(customerId)).filter(
      (c) => c.status === 'active',
    );
    const readings: ExportReading[] = [];
    for (const c of contracts)
      for (const mp of c.meteringPointIds) {
        const pseudonym = c.pseudonyms[mp];
        if (!pseudonym) continue;
        for (const r of await deps.readings.seriesReadings(deps.bucket, {
          pseudonym,
          meteringPointId: mp,
          startMs: c.startMs,
          endMs: c.endMs,
        }))
          readings.push(r);
      }
    readings.sort((a, b) =>
      a.meteringPointId === b.meteringPointId
        ? a.startMs - b.startMs
        : a.meteringPointId < b.meteringPointId
          ? -1
          : 1,
    );
    return { contracts, readings };
  };

  app.get('/me/sign-in', async (request, reply) => {
    const language = languageOf(deps.texts, (request.query as Record<string, string>).lang);
    const text = t(language);
    return reply
      .type('text/html')
      .send(
        customerPage(
          language,
          text.signInTitle ?? '',
          deps.oidc
            ? html`<p><a href="/me/oidc/start" class="button" id="sign-in-idp">${text.signInWithIdp}</a></p>`
            : html`<p>${text.linkInvalid}</p>`,
        ),
      );
  });

  app.get<{ Params: { token: string }; Querystring: { lang?: string } }>(
    '/me/link/:token',
    async (request, reply) => {
      // Showing the form uses nothing: a link scanner that fetches it does not spend it.
      const language = languageOf(deps.texts, request.query.lang);
      const text = t(language);
      return reply
        .type('text/html')
        .send(
          customerPage(
            language,
            text.signInTitle ?? '',
            html`<p>${text.signInIntro}</p><form method="post" action="/me/link" class="card"><input type="hidden" name="token" value="${request.params.token}"><input type="hidden" name="lang" value="${language}"><button type="submit">${text.signIn}</button></form>`,
          ),
        );
    },
  );

  app.post<{ Body: Record<string, string> }>('/me/link', async (request, reply) => {
    const customerId = await deps.links.consume(String(request.body?.token ?? ''));
    const language = languageOf(deps.texts, request.body?.lang);
    if (!customerId)
      return reply
        .code(401)
        .type('text/html')
        .send(
          customerPage(
            language,
            t(language).signInTitle ?? '',
            html`<p class="notice error">${t(language).linkInvalid}</p>`,
          ),
        );
    const session = await sessions.create({ kind: 'customer', customerId, language });
    return reply
      .code(303)
      .header(
        'set-cookie',
        customerCookie(request, session.id, Math.round(deps.sessionIdleMs / 1000)),
      )
      .header('location', '/me')
      .send();
  });

  app.get<{ Querystring: { lang?: string; view?: string; saved?: string; requested?: string } }>(
    '/me',
    async (request, reply) => {
      const session = customerSession(sessions, request, reply);
      if (!session) return reply;
      if (request.query.lang) {
        session.language = languageOf(deps.texts, request.query.lang);
        await sessions.save(session);
      }
      const language = session.language;
      const text = t(language);
      const view = request.query.view === 'month' ? 'month' : 'day';
      await recordSelf(session, 'self.view', { view });
      const { contracts, readings } = await dataOf(session.customerId);
      const objections = (await deps.registry.objectionsOf([session.customerId])).get(
        session.customerId,
      );
      const accesses = disclosuresOf(await deps.auditRecords(), session.customerId)
        .filter((d) => !d.action.startsWith('self.'))
        .reverse()
        .slice(0, 100);
      const charts = (['consumption', 'production'] as const)
        .map((direction) => {
          const totals = totalsOf(readings, direction);
          const points = view === 'month' ? totals.byMonth : totals.byDay.slice(-31);
          return points.length === 0
            ? undefined
            : barChart(
                `chart-${direction}`,
                text[direction] ?? direction,
                text.unit ?? 'kWh',
                points,
              );
        })
        .filter((c) => c !== undefined);
      const body = html`${request.query.saved ? html`<p class="notice ok" role="status">${text.saved}</p>` : ''}${request.query.requested ? html`<p class="notice ok" role="status">${text.requestReceived}</p>` : ''}
<section class="card" aria-labelledby="sites-h"><h2 id="sites-h">${text.sites}</h2><ul id="sites">${contracts.map(
        (c) =>
          html`<li><strong>${text.area} ${c.area}</strong> · ${text.period} ${c.startDate} – ${c.endDate ?? text.ongoing}<br><small>${text.meteringPoints}: ${c.meteringPointIds.join(', ')}</small></li>`,
      )}</ul></section>
<section class="card" aria-labelledby="use-h"><h2 id="use-h">${text.consumption}</h2>
<nav class="tabs" aria-label="${text.consumption}">${view === 'day' ? html`<span aria-current="page">${text.byDay}</span>` : html`<a href="/me?view=day">${text.byDay}</a>`} ${
        view === 'month'
          ? html`<span aria-current="page">${text.byMonth}</span>`
          : html`<a href="/me?view=month">${text.byMonth}</a>`
      }</nav>${charts.length ? charts : html`<p>${text.noReadings}</p>`}</section>
<section class="card" aria-labelledby="dl-h"><h2 id="dl-h">${text.download}</h2><p><a href="/me/download/csv" download id="download-csv">${text.downloadCsv}</a> · <a href="/me/download/json" download id="download-json">${text.downloadJson}</a></p></section>
<section class="card" aria-labelledby="req-h"><h2 id="req-h">${text.requestCopy}</h2><p>${text.requestCopyIntro}</p>
<form method="post" action="/me/access-request"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit" id="request-copy">${text.requestCopyButton}</button></form></section>
<section class="card" aria-labelledby="obj-h"><h2 id="obj-h">${text.objections}</h2><p>${text.objectionsIntro}</p>
<form method="post" action="/me/objections"><input type="hidden" name="csrf" value="${session.csrf}">
<div class="check"><input id="dm" name="directMarketing" type="checkbox" value="yes"${objections?.directMarketing ? html` checked` : ''}><label for="dm">${text.objectDirectMarketing}</label></div>
<div class="check"><input id="mr" name="marketResearch" type="checkbox" value="yes"${objections?.marketResearch ? html` checked` : ''}><label for="mr">${text.objectMarketResearch}</label></div>
<button type="submit">${text.save}</button></form></section>
<section class="card" aria-labelledby="acc-h"><h2 id="acc-h">${text.accesses}</h2><p>${text.accessesIntro}</p>${
        accesses.length === 0
          ? html`<p>${text.noAccesses}</p>`
          : html`<div class="scroll" tabindex="0" role="region" aria-label="table"><table id="accesses"><thead><tr><th scope="col">${text.when}</th><th scope="col">${text.who}</th><th scope="col">${text.purpose}</th><th scope="col">${text.action}</th></tr></thead><tbody>${accesses.map(
              (a) =>
                html`<tr><td>${a.at.slice(0, 16).replace('T', ' ')}</td><td>${a.recipient} (${a.role})</td><td>${a.purpose}</td><td>${a.action}</td></tr>`,
            )}</tbody></table></div>`
      }</section>`;
      return reply.type('text/html').send(customerPage(language, text.title ?? '', body, session));
    },
  );

  app.get<{ Params: { format: string } }>('/me/download/:format', async (request, reply) => {
    const session = customerSession(sessions, request, reply);
    if (!session) return reply;
    const format = request.params.format;
    if (format !== 'csv' && format !== 'json')
      return reply.code(404).send({ error: 'no such file' });
    await recordSelf(session, 'self.download', { format });
    const { contracts, readings } = await dataOf(session.customerId);
    const file = `my-energy-data.${format}`;
    void reply.header('content-disposition', `attachment; filename="${file}"`);
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(datahubCsv(readings));
    return reply.type('application/json; charset=utf-8').send(
      JSON.stringify({
        customerId: session.customerId,
        generatedAt: new Date().toISOString(),
        contracts: contracts.map((c) => ({
          contractId: c.contractId,
          area: c.area,
          meteringPointIds: c.meteringPointIds,
          startDate: c.startDate,
          endDate: c.endDate,
        })),
        // [meteringPointId, direction, start, kWh, quality]
        readings: readings.map((r) => [
          r.meteringPointId,
          r.direction,
          new Date(r.startMs).toISOString(),
          r.quantityWh === null ? null : r.quantityWh / 1000,
          r.quality,
        ]),
      }),
    );
  });

  app.post<{ Body: Record<string, string> }>('/me/objections', async (request, reply) => {
    const session = customerSession(sessions, request, reply);
    if (!session) return reply;
    if (!sameSecret(request.body?.csrf, session.csrf))
      return reply.code(403).send({ error: 'the form is stale or forged (CSRF token); reload it' });
    const directMarketing = request.body?.directMarketing === 'yes';
    const marketResearch = request.body?.marketResearch === 'yes';
    // Recorded before it is published, as the DPO's objection route does.
    await recordSelf(session, 'optout.set', { directMarketing, marketResearch });
    await deps.publishObjection(
      session.customerId,
      objectionEventValue({
        customerId: session.customerId,
        directMarketingOptOut: directMarketing,
        marketResearchOptOut: marketResearch,
        updatedAt: new Date().toISOString(),
        source: 'customer',
      }),
    );
    return reply.code(303).header('location', '/me?saved=1').send();
  });

  // The customer's own access request: received now, identity established by the sign-in.
  app.post<{ Body: Record<string, string> }>('/me/access-request', async (request, reply) => {
    const session = customerSession(sessions, request, reply);
    if (!session) return reply;
    if (!sameSecret(request.body?.csrf, session.csrf))
      return reply.code(403).send({ error: 'the form is stale or forged (CSRF token); reload it' });
    const held = receivedRequest({
      requestId: randomUUID().replaceAll('-', ''),
      customerId: session.customerId,
      receivedAt: new Date().toISOString(),
      channel: 'customer_page',
      language: languageOf(deps.texts, session.language),
      nowMs: Date.now(),
    });
    await recordSelf(session, 'self.request', { requestId: held.requestId, channel: held.channel });
    await deps.heldRequests.save(held);
    return reply.code(303).header('location', '/me?requested=1').send();
  });

  app.post<{ Body: Record<string, string> }>(
    '/me/sign-out',
    async (request, reply: FastifyReply) => {
      const session = request.consoleSessions?.customer;
      if (!session || !sameSecret(request.body?.csrf, session.csrf))
        return reply
          .code(403)
          .send({ error: 'the form is stale or forged (CSRF token); reload it' });
      await sessions.destroy(session.id);
      return reply
        .code(303)
        .header('set-cookie', customerCookie(request, '', 0))
        .header('location', '/me/sign-in')
        .send();
    },
  );
}

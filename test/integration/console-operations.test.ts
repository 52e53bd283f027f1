import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRightsApi } from '@lukema/api';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { loadConfig, prometheusScrapes, redisKeys } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, seriousViolations } from '../support/browser.js';
import { engine } from '../support/engine.js';
import { openContract, preliminaryPush } from '../support/fixtures.js';
import { freePort } from '../support/free-port.js';
import { pipelineOpsServers } from '../support/ops-servers.js';
import { startPipeline } from '../support/pipeline.js';
import { topicCount } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const WINDOW = Date.UTC(2026, 3, 1);
const codec = new IntervalBatchCodec();
const assigned = simulatedGsrn(701);
const wrongDigit = `${assigned.slice(0, 17)}${(Number(assigned[17]) + 1) % 10}`;

const push = (meteringPointId: string, messageId: string, hour: number) =>
  codec.encode(preliminaryPush(meteringPointId, messageId, WINDOW, hour, 4));

const NOT_AVRO = 'not avro single-object encoded';
const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The operator's corner of the DPO console in Chromium, on the real stack: dead letters of
 * two reason kinds produced through the ingest worker and counted per kind, the lag of a
 * stopped worker, a replay of one kind from the page (only that kind, audited first), the
 * page without Prometheus, and the refusals without a session, CSRF token or right role.
 */
describe('the operations page', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let api: ReturnType<typeof createRightsApi>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let dpoToken: string;
  let targetsFile: string;
  const servers: Array<{ stop(): Promise<void> }> = [];
  let sick: Server;
  const readings = () => topicCount(stack, stack.config.kafka.topics.readings);
  const row = (kind: string) => page.locator(`#dead-letters tr[data-kind="${kind}"]`);

  beforeAll(async () => {
    stack = await createTestStack('console-ops');
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([openContract(assigned, '701701', '2026-01-01')]),
    );
    pipeline = await startPipeline(stack);
    const { ingestOps, registryOps } = pipelineOpsServers(stack, pipeline);
    servers.push(ingestOps, registryOps);
    const ingestAt = await ingestOps.start();
    const registryAt = await registryOps.start();
    // A stand-in second worker whose InfluxDB is down; its reason names a person, which the
    // page must not show.
    sick = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ready: false,
          reasons: {
            influxdb:
              'influxdb does not answer: connect ECONNREFUSED 127.0.0.1:18086 (user maija.meikalainen@example.fi)',
          },
        }),
      );
    });
    await new Promise<void>((resolve) => sick.listen(0, '127.0.0.1', resolve));
    const sickPort = (sick.address() as { port: number }).port;
    const apiPort = await freePort();
    const config = loadConfig({
      ...process.env,
      ...stack.env,
      LUKEMA_HEALTH_URLS: [
        `api=http://127.0.0.1:${apiPort}`,
        `registry=http://127.0.0.1:${registryAt.port}`,
        `ingest-1=http://127.0.0.1:${ingestAt.port}`,
        `ingest-2=http://127.0.0.1:${sickPort}`,
      ].join(','),
    });
    api = createRightsApi(config, stack.logger);
    await api.start(apiPort);
    base = `http://127.0.0.1:${apiPort}`;
    dpoToken = await api.tokens.create('dpo-ops', 'dpo', ['access_request', 'internal_operations']);
    // Prometheus scrapes the three services, so the page can say when it last did.
    targetsFile = join(stack.config.ops.prometheusTargetsDir, `test-${stack.id}.json`);
    writeFileSync(
      targetsFile,
      JSON.stringify([
        {
          targets: [
            `127.0.0.1:${apiPort}`,
            `127.0.0.1:${registryAt.port}`,
            `127.0.0.1:${ingestAt.port}`,
          ],
          labels: { test: stack.id },
        },
      ]),
    );
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.fill('#token', dpoToken);
    await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type=submit]')]);
  });

  afterAll(async () => {
    rmSync(targetsFile, { force: true });
    await context?.close();
    await browser?.close();
    await api?.stop();
    await pipeline?.stop();
    for (const s of servers) await s.stop();
    sick?.close();
    await stack?.close();
  });

  it('counts dead letters per kind, shows a stopped worker’s lag, replays one kind from the page', async () => {
    await stack.contractsApplied();
    // Two reason kinds through the real worker: bytes that are no Avro, and a wrong check digit.
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: assigned, value: Buffer.from('{"not":"avro","n":1}') },
      { key: assigned, value: push(wrongDigit, 'bad-1', 0) },
      { key: assigned, value: Buffer.from('{"not":"avro","n":2}') },
      { key: assigned, value: push(wrongDigit, 'bad-2', 6) },
      { key: assigned, value: push(wrongDigit, 'bad-3', 12) },
    ]);
    await waitFor('the worker handled them', async () => (await stack.lag()) === 0, {
      timeoutMs: 90_000,
    });
    await waitFor(
      'five dead letters',
      async () => (await topicCount(stack, stack.config.kafka.topics.deadLetter)) === 5,
    );
    // The worker stops; what arrives now waits: the group's lag rises.
    await pipeline.ingest.worker.stop();
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: assigned, value: push(assigned, 'good-1', 0) },
      { key: assigned, value: push(assigned, 'good-2', 6) },
      { key: assigned, value: push(assigned, 'good-3', 12) },
    ]);
    await waitFor(
      'Prometheus scrapes the services',
      async () => {
        const scrapes = await prometheusScrapes(stack.config.ops.prometheusUrl);
        return [...scrapes].filter(([, s]) => s.health === 'up').length >= 3 &&
          [...scrapes.values()].some((s) => s.lastScrapeAt > '2000')
          ? true
          : undefined;
      },
      { timeoutMs: 60_000 },
    );

    await page.goto(`${base}/console/operations`);
    const kinds = await page.locator('#dead-letters tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        kind: r.getAttribute('data-kind'),
        letters: r.querySelector('.letters')?.textContent,
        awaiting: r.querySelector('.awaiting')?.textContent,
      })),
    );
    console.log('[operations] dead letters by kind:', JSON.stringify(kinds));
    expect(kinds).toHaveLength(2);
    expect(kinds).toContainEqual({ kind: NOT_AVRO, letters: '2', awaiting: '2' });
    const other = kinds.find((k) => k.kind !== NOT_AVRO);
    expect(other).toMatchObject({ letters: '3', awaiting: '3' });
    const otherKind = other?.kind ?? '';
    const ingestLag = page.locator(
      `#lag tr[data-group="${stack.config.ingest.group}"][data-topic="${stack.config.kafka.topics.readings}"] .lag`,
    );
    console.log('[operations] ingest lag while stopped:', await ingestLag.textContent());
    expect(Number(await ingestLag.textContent())).toBe(3);
    const services = await page
      .locator('#services tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    console.log('[operations] services:\n  ', services.join('\n   '));
    expect(await page.textContent('#services tr[data-service="api"] .state')).toBe('ready');
    expect(await page.textContent('#services tr[data-service="registry"] .state')).toBe('ready');
    expect(await page.textContent('#services tr[data-service="ingest-1"] .state')).toBe('ready');
    const sickRow = await page.textContent('#services tr[data-service="ingest-2"]');
    expect(sickRow).toContain('not ready');
    expect(sickRow).toContain('influxdb: influxdb does not answer');
    expect(sickRow).not.toContain('@');
    expect(sickRow).not.toContain('maija');
    expect(await page.textContent('#services tr[data-service="ingest-1"]')).toMatch(
      /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(up\)/,
    );
    expect(await page.locator('.notice.error').count()).toBe(0); // Prometheus answers
    expect(await seriousViolations(page), 'axe on the operations page').toEqual([]);
    console.log('[operations] screenshot:', await screenshot(page, 'dpo-7-operations'));

    // Replay one kind from the page: only its letters go back, the other kind waits.
    const before = await readings();
    await Promise.all([
      page.waitForURL(/replayed=/),
      row(NOT_AVRO).locator('button:text-is("Replay")').click(),
    ]);
    const result = await page.textContent('.notice.ok');
    console.log('[operations] replay result:', result);
    expect(result).toBe(
      `Replay of "${NOT_AVRO}": 2 replayed, 0 left out (replayed before), 3 of other kinds kept for a later replay.`,
    );
    expect(await readings()).toBe(before + 2);
    expect(await row(NOT_AVRO).locator('.awaiting').textContent()).toBe('0');
    expect(await row(otherKind).locator('.awaiting').textContent()).toBe('3');
    // Four more letters wait for the stopped worker now: three pushes and the two replayed.
    expect(Number(await ingestLag.textContent())).toBe(5);
    console.log(
      '[operations] screenshot after replay:',
      await screenshot(page, 'dpo-7a-operations-replayed'),
    );

    // Audited first (the kind only), then its outcome with the counts; no customer.
    const records = (await api.audit.records()).filter((r) => r.action === 'deadletters.replay');
    expect(records.map((r) => [r.outcome, r.actor, r.role, r.purpose])).toEqual([
      ['allowed', 'dpo-ops', 'dpo', 'internal_operations'],
      ['succeeded', 'dpo-ops', 'dpo', 'internal_operations'],
    ]);
    expect(records[0]?.details).toEqual({ reasonKind: NOT_AVRO });
    expect(records[1]?.details).toEqual({
      reasonKind: NOT_AVRO,
      replayed: 2,
      alreadyReplayed: 0,
      kept: 3,
    });
    expect(records.every((r) => r.subject === undefined)).toBe(true);

    // The page in Finnish (the choice kept in the session): every word of it, and the replay's
    // result. Again: nothing of that kind is left to replay.
    await page.goto(`${base}/console/operations?lang=fi`);
    try {
      expect(await page.getAttribute('html', 'lang')).toBe('fi');
      expect(await page.textContent('h1')).toBe('Ylläpito');
      expect(await page.textContent('#h-lag')).toBe('Käsittelemättömät viestit');
      expect(await page.textContent('#lag thead')).toContain('Käsittelemättä (viestiä)');
      expect(await page.textContent('#services tr[data-service="api"] .state')).toBe('valmis');
      expect(await page.textContent('#services tr[data-service="ingest-2"] .state')).toBe(
        'ei valmis',
      );
      const finnish = (await page.textContent('main')) ?? '';
      for (const english of [
        'Services',
        'Readiness',
        'Why not',
        'Consumer lag',
        'Group',
        'Dead letters',
        'Reason kind',
        'Not replayed',
        'Oldest',
        'Replay',
        'Export queue',
        'waiting',
        'completed',
        '(up)',
      ])
        expect(finnish, `"${english}" left in English`).not.toContain(english);
      expect(await seriousViolations(page), 'axe on the Finnish operations page').toEqual([]);
      console.log(
        '[operations] screenshot in Finnish:',
        await screenshot(page, 'dpo-7-operations-fi'),
      );
      await Promise.all([
        page.waitForURL(/replayed=0/),
        row(NOT_AVRO).locator('button:text-is("Käsittele uudelleen")').click(),
      ]);
      const finnishResult = await page.textContent('.notice.ok');
      console.log('[operations] replay result in Finnish:', finnishResult);
      // The count left out is the replay's own bookkeeping; the words are what is checked here.
      expect(finnishResult).toMatch(
        /^Uudelleenkäsittely, laji "not avro single-object encoded": 0 viestiä palautettiin käsittelyyn, \d+ jätettiin pois \(palautettu jo aiemmin\), 3 muun lajin viestiä odottaa myöhempää käsittelyä\.$/,
      );
      expect(await readings()).toBe(before + 2);
      // The language switch stays on this page.
      expect(await page.getAttribute('nav.languages a[lang=sv]', 'href')).toBe(
        '/console/operations?lang=sv',
      );
    } finally {
      await page.goto(`${base}/console/operations?lang=en`);
    }
    expect(await page.textContent('h1')).toBe('Operations');
  });

  it('works while Prometheus is down, and says so', async () => {
    engine('prometheus', 'stop');
    try {
      await page.goto(`${base}/console/operations`);
      const text = (await page.textContent('main')) ?? '';
      expect(text).toContain(
        `Prometheus (${stack.config.ops.prometheusUrl}) does not answer: last-scrape times and alerts are unavailable`,
      );
      expect(await page.locator('#dead-letters tbody tr').count()).toBe(2);
      expect(
        Number(
          await page
            .locator(`#lag tr[data-group="${stack.config.ingest.group}"] .lag`)
            .first()
            .textContent(),
        ),
      ).toBeGreaterThan(0);
      expect(await page.textContent('#services tr[data-service="api"] .state')).toBe('ready');
      expect(await seriousViolations(page), 'axe without Prometheus').toEqual([]);
      console.log(
        '[operations] screenshot without Prometheus:',
        await screenshot(page, 'dpo-7b-operations-no-prometheus'),
      );
      // The same notice in Swedish.
      await page.goto(`${base}/console/operations?lang=sv`);
      const swedish = (await page.textContent('.notice.error')) ?? '';
      console.log('[operations] without Prometheus, in Swedish:', swedish);
      expect(swedish).toContain(
        `Prometheus (${stack.config.ops.prometheusUrl}) svarar inte: senaste hämtningstider och larm syns inte nu.`,
      );
    } finally {
      await page.goto(`${base}/console/operations?lang=en`);
      engine('prometheus', 'start');
    }
  });

  it('refuses the page and the replay without a DPO session, CSRF token or the right role', async () => {
    const replays = async () =>
      (await api.audit.records()).filter((r) => r.action === 'deadletters.replay').length;
    const audited = await replays();
    const cookie = (await context.cookies()).find((c) => c.name === 'lk_dpo');
    expect(cookie?.httpOnly).toBe(true);
    const form = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${base}/console/operations/replay`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body).toString(),
      });
    // The page: no session, a forged one.
    for (const c of ['', 'lk_dpo=forged']) {
      const r = await fetch(`${base}/console/operations`, {
        redirect: 'manual',
        headers: { accept: 'text/html', cookie: c },
      });
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe('/console/sign-in');
    }
    // The form: no session; a session without the CSRF token; with a wrong one.
    expect((await form({ reason: NOT_AVRO })).status).toBe(401);
    const session = `lk_dpo=${cookie?.value}`;
    expect((await form({ reason: NOT_AVRO }, { cookie: session })).status).toBe(403);
    expect(
      (await form({ reason: NOT_AVRO, csrf: 'x'.repeat(43) }, { cookie: session })).status,
    ).toBe(403);
    // The API route: no token, an analyst's, a DPO's for another purpose; a bad kind.
    const route = (token: string | undefined, purpose: string, body: unknown) =>
      fetch(`${base}/v1/dead-letters/replay`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-lukema-purpose': purpose,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const analyst = await api.tokens.create('analyst-ops', 'analyst', ['grid_planning']);
    expect((await route(undefined, 'internal_operations', { reason: NOT_AVRO })).status).toBe(401);
    expect((await route(analyst, 'grid_planning', { reason: NOT_AVRO })).status).toBe(403);
    expect((await route(dpoToken, 'access_request', { reason: NOT_AVRO })).status).toBe(403);
    expect(await replays()).toBe(audited);
    const bad = await route(dpoToken, 'internal_operations', { reason: 'x@example.fi' });
    expect(bad.status).toBe(400);
    expect(await replays()).toBe(audited);
    // An operator may replay, through the same route the console calls.
    const operator = await api.tokens.create('operator-ops', 'operator', ['internal_operations']);
    const ok = await route(operator, 'internal_operations', { reason: NOT_AVRO });
    expect(ok.status).toBe(200);
    // Nothing of that kind is new: its letters ahead of the progress are left out, once each.
    expect(await ok.json()).toMatchObject({ reason: NOT_AVRO, replayed: 0, kept: 3 });
    expect(await replays()).toBe(audited + 2);

    // One replay at a time, wherever it runs: while another holds the lock (a CLI run, say),
    // the route answers 409 and nothing is re-queued.
    const lock = redisKeys(stack.config.registry.redisPrefix).deadLettersReplayLock(
      stack.config.kafka.topics.deadLetter,
    );
    await stack.redis.set(lock, 'another-replay', 'PX', 60_000);
    const held = await readings();
    const busy = await route(operator, 'internal_operations', { reason: 'unattributable' });
    expect(busy.status).toBe(409);
    expect(await busy.json()).toEqual({
      error: 'a replay of these dead letters is running; try again when it ends',
    });
    expect(await readings()).toBe(held);
    expect(
      (await api.audit.records())
        .filter((r) => r.action === 'deadletters.replay')
        .slice(-2)
        .map((r) => r.outcome),
    ).toEqual(['allowed', 'failed']);
    await stack.redis.del(lock);

    // The rights CLI replays through the same route: the other kind, as the operator.
    const before = await readings();
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        `${root}node_modules/.bin/tsx`,
        [`${root}services/api/src/cli.ts`, 'dead-letters', 'replay', 'unattributable'],
        { env: { ...process.env, ...stack.env, LUKEMA_API_URL: base, LUKEMA_API_TOKEN: operator } },
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    console.log('[operations] rights CLI dead-letters replay unattributable:', out.trim());
    expect(JSON.parse(out)).toMatchObject({ reason: 'unattributable', replayed: 3, kept: 0 });
    expect(await readings()).toBe(before + 3);
    expect(await replays()).toBe(audited + 6);
  });
});

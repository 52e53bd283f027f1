import { readFileSync } from 'node:fs';
import { createRightsApi } from '@lukema/api';
import { accessRequestDeadline, daysLeft } from '@lukema/core';
import { contractMessages } from '@lukema/headend-sim';
import { IoredisRegistryStore, redisKeys } from '@lukema/platform';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, RESULTS, screenshot, seriousViolations } from '../support/browser.js';
import { startPipeline } from '../support/pipeline.js';
import { generatedWorld } from '../support/population.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const FROM = Date.UTC(2026, 4, 1);

/**
 * The DPO console and the customer's own page in a real Chromium, against the real stack:
 * the DPO from sign-in to a downloaded export and an erasure, a customer from the one-time
 * link to their chart, download and objection; axe-core on every page; screenshots under
 * .test-results/console/.
 */
describe('the DPO console and the customer page in Chromium', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let api: ReturnType<typeof createRightsApi>;
  let browser: Browser;
  let base: string;
  let dpoToken: string;
  let registry: IoredisRegistryStore;
  const world = generatedWorld({
    sites: 6,
    seed: 13,
    fromMs: FROM,
    days: 3,
    moveShare: 0,
    vacancyShare: 0,
    badShare: 0,
    lateShare: 0,
  });
  const customers = [...new Set(world.contracts.map((c) => c.customerId))];
  const [alice = '', bob = '', carol = ''] = customers;
  const pointsOf = (customerId: string) =>
    world.contracts.filter((c) => c.customerId === customerId).flatMap((c) => c.meteringPointIds);
  const screenshots: string[] = [];
  const contexts: BrowserContext[] = [];

  const newPage = async (options: Parameters<Browser['newContext']>[0] = {}) => {
    const context = await browser.newContext({ acceptDownloads: true, ...options });
    contexts.push(context);
    return { context, page: await context.newPage() };
  };
  const shoot = async (page: Page, name: string) => {
    screenshots.push(await screenshot(page, name));
    expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  };
  const signInDpo = async (page: Page) => {
    await page.goto(`${base}/console`);
    await page.fill('#token', dpoToken);
    await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type=submit]')]);
  };

  beforeAll(async () => {
    stack = await createTestStack('console');
    pipeline = await startPipeline(stack);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dpoToken = await api.tokens.create('dpo-console', 'dpo', [
      'access_request',
      'authority_request',
      'internal_operations',
    ]);
    registry = new IoredisRegistryStore(
      stack.redis,
      `${stack.config.registry.redisPrefix}:registry`,
    );
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages(world.contracts),
    );
    await stack.producer.send(stack.config.kafka.topics.readings, world.messages);
    await stack.contractsApplied();
    await waitFor('readings committed', async () => (await stack.lag()) === 0, {
      timeoutMs: 90_000,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await api?.stop();
    await pipeline?.stop();
    await stack?.close();
    console.log(`[console] screenshots:\n  ${screenshots.join('\n  ')}`);
  });

  it('walks the DPO from sign-in to a downloaded export and an erasure', async () => {
    expect(customers.length).toBeGreaterThanOrEqual(3);
    const { page } = await newPage();
    await page.goto(`${base}/console`);
    expect(page.url()).toBe(`${base}/console/sign-in`);
    await shoot(page, 'dpo-1-sign-in');
    await signInDpo(page);

    // A request received by letter: recorded (identity to verify), the identity check
    // recorded (new), approved; the queue then follows the export live to "ready".
    await page.fill('#customerId', alice);
    await page.selectOption('#channel', 'letter');
    const recordedFrom = Date.now();
    await Promise.all([page.waitForURL(/done=recorded/), page.click('button:text-is("Record")')]);
    const recordedBy = Date.now();
    const held = page.locator('#held tr[data-received]').first();
    expect(await held.locator('td.status').textContent()).toContain('identity to verify');
    expect(await held.locator('button:text-is("Approve")').count()).toBe(0);
    await shoot(page, 'dpo-2a-received');
    await held.locator('input[name=method]').fill('signed letter matches the contract address');
    await Promise.all([
      page.waitForURL(/done=verified/),
      held.locator('button:text-is("Record identity check")').click(),
    ]);
    await Promise.all([
      page.waitForURL(/done=approved/),
      page.locator('#held tr[data-received] button:text-is("Approve")').first().click(),
    ]);
    await page.waitForSelector('#queue td.status:text-is("ready")', { timeout: 60_000 });
    const row = page.locator('#queue tr[data-request]').first();
    // One calendar month from receipt, clamped to the month's end (27-30 days, by the date).
    const shownFrom = Date.now();
    const shown = Number(await row.locator('td.days span').textContent());
    const shownBy = Date.now();
    expect(shown).toBeGreaterThanOrEqual(daysLeft(accessRequestDeadline(recordedFrom), shownBy));
    expect(shown).toBeLessThanOrEqual(daysLeft(accessRequestDeadline(recordedBy), shownFrom));
    expect(shown).toBeGreaterThanOrEqual(27);
    // The deadline extended by two months, with the reason recorded.
    await row.locator('input[name=reason]').fill('many metering points over six years');
    await Promise.all([
      page.waitForURL(/done=extended/),
      row.locator('button:text-is("Extend")').click(),
    ]);
    expect(Number(await row.locator('td.days span').textContent())).toBeGreaterThanOrEqual(88);
    expect(await row.locator('td.days').textContent()).toContain('extended: many metering points');
    const extension = (await api.audit.records()).find((r) => r.action === 'export.extend');
    expect(extension?.details?.reason).toBe('many metering points over six years');
    expect(extension?.subject).toBe(alice);
    await shoot(page, 'dpo-2-queue-ready');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.locator('a', { hasText: 'export.csv' }).click(),
    ]);
    const saved = `${RESULTS}/dpo-access-export.csv`;
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8');
    for (const mp of pointsOf(alice)) expect(csv).toContain(mp);
    for (const mp of pointsOf(bob)) expect(csv).not.toContain(mp);
    await page.reload();
    await page.waitForSelector('#queue td.status:text-is("delivered")');

    // Recording by identity code (when the world has one): the code is never shown back.
    const contract = world.contracts.find((c) => c.customerId === carol);
    const code = (contract as { personalIdentityCode?: string } | undefined)?.personalIdentityCode;
    if (code) await page.fill('#identityCode', code);
    else await page.fill('#customerId', carol);
    await page.selectOption('#channel', 'email');
    await Promise.all([page.waitForURL(/done=recorded/), page.click('button:text-is("Record")')]);
    if (code) expect(await page.content()).not.toContain(code);
    // This one is denied, with the reason recorded before it takes effect.
    const denied = page.locator('#held tr[data-received]').first();
    await denied.locator('input[name=reason]').fill('identity not verified: no proof sent');
    await Promise.all([
      page.waitForURL(/done=denied/),
      denied.locator('button:text-is("Deny")').click(),
    ]);
    expect(await page.locator('#held td.status').first().textContent()).toContain('denied');
    const denial = (await api.audit.records()).find((r) => r.action === 'request.deny');
    expect(denial?.details?.reason).toBe('identity not verified: no proof sent');
    expect(denial?.subject).toBe(carol);
    expect(await page.locator('#held tr[data-received] button:text-is("Approve")').count()).toBe(0);
    await shoot(page, 'dpo-2b-denied');

    // Erasure: a confirmation naming what will be destroyed, then the registry forgets.
    await page.goto(`${base}/console/subjects`);
    await shoot(page, 'dpo-3-subjects');
    // Under a legal hold the erasure is refused, by the console and by the API.
    await page.fill('#hold-customer', bob);
    await page.fill('#hold-reason', 'billing dispute before the district court');
    await page.click('button:text-is("Set or release the hold")');
    await page.waitForSelector('text=The legal hold applies.');
    await page.fill('#erase-customer', bob);
    await page.click('text=Review what will be destroyed');
    expect(await page.textContent('.notice.error')).toContain('the erasure is refused');
    expect(await page.locator('#erase-sure').count()).toBe(0);
    await shoot(page, 'dpo-4a-erasure-refused-legal-hold');
    const direct = await api.app.inject({
      method: 'POST',
      url: `/v1/customers/${bob}/erasure`,
      headers: { authorization: `Bearer ${dpoToken}`, 'x-lukema-purpose': 'access_request' },
    });
    expect(direct.statusCode).toBe(409);
    expect((await registry.contractsOfCustomer(bob)).some((c) => c.status === 'active')).toBe(true);
    await page.fill('#hold-customer', bob);
    await page.check('#hold-release');
    await page.click('button:text-is("Set or release the hold")');
    await page.waitForSelector('text=The legal hold was released.');
    await page.fill('#erase-customer', bob);
    await page.click('text=Review what will be destroyed');
    const scope = await page.locator('#erasure-scope').textContent();
    expect(scope).toContain(`${pointsOf(bob).length} metering point(s)`);
    expect(scope).toContain("customer's key");
    await shoot(page, 'dpo-4-erasure-confirm');
    await page.check('#erase-sure');
    await page.click('button.danger');
    await page.waitForSelector('text=The erasure was requested');
    await waitFor('the registry erased the customer', async () => {
      const left = await registry.contractsOfCustomer(bob);
      return left.every((c) => c.status !== 'active');
    });

    // The console in Finnish: the switch's choice is kept in the session, page after page.
    await page.goto(`${base}/console/audit`);
    await Promise.all([page.waitForURL(/lang=fi/), page.click('nav.languages a[lang=fi]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await page.textContent('h1')).toBe('Tapahtumaloki');
    await page.goto(`${base}/console`);
    expect(await page.textContent('h1')).toBe('Tietopyynnöt');
    expect(await page.textContent('#queue')).toContain('toimitettu'); // delivered
    expect(await page.textContent('#held')).toContain('hylätty'); // denied
    await shoot(page, 'dpo-8-requests-fi');
    await page.goto(`${base}/console/subjects`);
    expect(await page.textContent('main')).toContain('Tarkista, mitä poistetaan');
    await shoot(page, 'dpo-9-subjects-fi');
    await page.goto(`${base}/console?lang=sv`);
    expect(await page.textContent('h1')).toBe('Begäranden om tillgång');
    await page.goto(`${base}/console?lang=en`);
    expect(await page.textContent('h1')).toBe('Access requests');

    // The audit trail shows both, and every chain verifies.
    await page.goto(`${base}/console/audit`);
    await page.selectOption('#f-action', 'export.download');
    await page.fill('#f-customer', alice);
    await page.click('button:text-is("Search")');
    expect(await page.locator('#audit-entries tbody tr').count()).toBeGreaterThanOrEqual(1);
    await shoot(page, 'dpo-5-audit');
    await page.goto(`${base}/console/audit/verify`);
    expect(await page.textContent('main')).toContain('Every chain verifies.');
    await shoot(page, 'dpo-6-chains');
    // dpo-7-operations: console-operations.test.ts (dead letters, lag and a replay).
  });

  it('walks a customer from the one-time link to their chart, download and objection', async () => {
    const link = `${base}/me/link/${await api.links.mint(alice)}`;
    // A phone-sized screen: the page must be readable there.
    const { page } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(link);
    await shoot(page, 'customer-1-link');
    await Promise.all([page.waitForURL(`${base}/me`), page.click('button[type=submit]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await page.textContent('h1')).toBe('Omat energiatietoni');
    expect(await page.locator('#chart-consumption rect.bar').count()).toBeGreaterThanOrEqual(3);
    for (const mp of pointsOf(alice)) expect(await page.textContent('#sites')).toContain(mp);
    // The DPO's export of the first test is listed among the accesses.
    expect(await page.textContent('#accesses')).toContain('dpo-console');
    await shoot(page, 'customer-2-page-fi-phone');
    await page.click('text=Kuukausittain');
    expect(await page.locator('#chart-consumption rect.bar').count()).toBeGreaterThanOrEqual(1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-json'),
    ]);
    const saved = `${RESULTS}/customer-data.json`;
    await download.saveAs(saved);
    const json = JSON.parse(readFileSync(saved, 'utf8')) as { readings: unknown[][] };
    expect(json.readings.length).toBeGreaterThan(0);
    expect(new Set(json.readings.map((r) => r[0]))).toEqual(new Set(pointsOf(alice)));

    // "Request a copy of my data": received now, identity established by the sign-in, so it
    // waits as new for the DPO's approval.
    await Promise.all([page.waitForURL(/requested=1/), page.click('#request-copy')]);
    expect(await page.textContent('main')).toContain('Pyyntösi on vastaanotettu');
    const requested = (await api.audit.records()).find(
      (r) => r.action === 'self.request' && r.subject === alice,
    );
    const held = await stack.redis.get(
      `${redisKeys(stack.config.registry.redisPrefix).heldRequests}:${requested?.details?.requestId}`,
    );
    expect(JSON.parse(held ?? '{}')).toMatchObject({
      customerId: alice,
      channel: 'customer_page',
      state: 'new',
    });

    await page.check('#dm');
    await Promise.all([page.waitForURL(/saved=1/), page.click('text=Tallenna')]);
    await waitFor('the objection applied', async () => {
      const state = (await registry.objectionsOf([alice])).get(alice);
      return state?.directMarketing === true && state.marketResearch === false;
    });
    await page.goto(`${base}/me?lang=sv`);
    expect(await page.textContent('h1')).toBe('Mina energiuppgifter');
    expect(await page.isChecked('#dm')).toBe(true);
    await shoot(page, 'customer-3-page-sv-phone');
    const { page: wide } = await newPage({ viewport: { width: 1280, height: 900 } });
    await wide.goto(link);
    expect(await wide.textContent('main')).toContain('Kirjaudu'); // the used link shows the form …
    await wide.click('button[type=submit]');
    expect(await wide.textContent('main')).toContain('Linkki on jo käytetty'); // … but fails
    await wide.goto(`${base}/me/link/${await api.links.mint(alice)}?lang=en`);
    await wide.click('button[type=submit]');
    await wide.waitForURL(`${base}/me`);
    await shoot(wide, 'customer-4-page-en-desktop');

    // Every view and download is in the audit trail, under the customer.
    const records = await api.audit.records();
    const own = records.filter((r) => r.subject === alice && r.role === 'customer');
    expect(new Set(own.map((r) => r.action))).toEqual(
      new Set(['self.view', 'self.download', 'self.request', 'optout.set']),
    );
  });
});

import { createRightsApi } from '@lukema/api';
import { contractMessages } from '@lukema/headend-sim';
import { redisKeys } from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleHttp } from '../support/console-http.js';
import { startPipeline } from '../support/pipeline.js';
import { generatedWorld } from '../support/population.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

/**
 * The console's and the customer page's guards against the real stack: no page or file
 * without the right session, no other customer's data by changing an id, no state change
 * without the form's CSRF token.
 */
describe('the console and customer page refuse what the session does not allow', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let api: ReturnType<typeof createRightsApi>;
  let base: string;
  let dpo: { cookie: string; csrf: string; status: number };
  let customer: { cookie: string; csrf: string; status: number };
  const world = generatedWorld({
    sites: 4,
    seed: 31,
    fromMs: Date.UTC(2026, 4, 1),
    days: 1,
    moveShare: 0,
    vacancyShare: 0,
    badShare: 0,
    lateShare: 0,
  });
  const [alice = '', bob = ''] = [...new Set(world.contracts.map((c) => c.customerId))];
  const pointsOf = (id: string) =>
    world.contracts.filter((c) => c.customerId === id).flatMap((c) => c.meteringPointIds);

  const { get, post, signInDpo, signInCustomer } = consoleHttp(() => base);

  beforeAll(async () => {
    stack = await createTestStack('console-security');
    pipeline = await startPipeline(stack);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages(world.contracts),
    );
    await stack.contractsApplied();

    const token = await api.tokens.create('dpo-sec', 'dpo', [
      'access_request',
      'internal_operations',
    ]);
    dpo = await signInDpo(token);
    expect(dpo.status).toBe(303);

    customer = await signInCustomer(await api.links.mint(alice));
    expect(customer.status).toBe(303);
  });

  afterAll(async () => {
    await api?.stop();
    await pipeline?.stop();
    await stack?.close();
  });

  it('sets httpOnly SameSite=Strict cookies and a Content-Security-Policy', async () => {
    const form = await get('/console/sign-in');
    expect(form.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(form.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(form.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Strict/);
    // The sign-in form posts the token; no page links or redirects carry one.
    expect(await form.text()).toContain('method="post" action="/console/sign-in"');
  });

  it('reaches no page or file without the right session', async () => {
    const requestId = '0'.repeat(32);
    const consolePaths = [
      '/console',
      '/console/subjects',
      `/console/audit?search=1&customer=${alice}`,
      '/console/audit/verify',
      '/console/operations',
      '/console/requests/progress',
      `/console/requests/${requestId}/files/access-export.csv`,
    ];
    const mePaths = ['/me', '/me/download/csv', '/me/download/json'];
    const refused = (r: Response) =>
      r.status === 401 || (r.status === 303 && /sign-in/.test(r.headers.get('location') ?? ''));
    for (const path of [...consolePaths, ...mePaths]) {
      for (const accept of ['text/html', 'application/json']) {
        expect(refused(await get(path, '', accept)), `${path} without a session`).toBe(true);
        expect(
          refused(await get(path, 'lk_dpo=forged; lk_me=forged', accept)),
          `${path} forged`,
        ).toBe(true);
      }
    }
    // A customer's session opens no console page; a DPO's session opens no customer page.
    for (const path of consolePaths)
      expect(refused(await get(path, customer.cookie.replace('lk_me', 'lk_dpo'))), path).toBe(true);
    for (const path of mePaths)
      expect(refused(await get(path, dpo.cookie.replace('lk_dpo', 'lk_me'))), path).toBe(true);
    // The API itself takes no console cookie in place of a token.
    const apiCall = await get(
      '/v1/access-requests',
      `${dpo.cookie}; ${customer.cookie}`,
      'application/json',
    );
    expect(apiCall.status).toBe(401);
  });

  it('shows a customer only their own data, whatever id is put in the address', async () => {
    for (const path of [
      `/me?customer=${bob}`,
      `/me?customerId=${bob}`,
      `/me/download/json?customer=${bob}`,
      `/me/download/csv?customerId=${bob}`,
    ]) {
      const r = await get(path, customer.cookie);
      expect(r.status, path).toBe(200);
      const text = await r.text();
      for (const mp of pointsOf(bob)) expect(text, path).not.toContain(mp);
    }
    const own = await (await get('/me', customer.cookie)).text();
    for (const mp of pointsOf(alice)) expect(own).toContain(mp);
    // Other ids in the path are no route at all.
    expect((await get(`/me/${bob}`, customer.cookie)).status).toBe(404);
    expect((await get(`/me/download/csv/${bob}`, customer.cookie)).status).toBe(404);
  });

  it('refuses every state-changing form without the session CSRF token', async () => {
    const jobsBefore = (await api.exports.list()).length;
    const heldPattern = `${redisKeys(stack.config.registry.redisPrefix).heldRequests}:*`;
    const heldBefore = (await stack.redis.keys(heldPattern)).length;
    const forms: Array<[string, Record<string, string>, string]> = [
      ['/console/requests', { customerId: alice }, dpo.cookie],
      ['/console/objections', { customerId: alice, directMarketing: 'yes' }, dpo.cookie],
      ['/console/erasure/confirm', { customerId: bob }, dpo.cookie],
      ['/console/erasure', { customerId: bob, confirm: 'yes' }, dpo.cookie],
      ['/console/reidentify', { pseudonym: 'a'.repeat(32) }, dpo.cookie],
      [`/console/requests/${'0'.repeat(32)}/cancel`, {}, dpo.cookie],
      [`/console/requests/${'0'.repeat(32)}/identity`, { method: 'passport' }, dpo.cookie],
      [`/console/requests/${'0'.repeat(32)}/approve`, {}, dpo.cookie],
      [`/console/requests/${'0'.repeat(32)}/deny`, { reason: 'unfounded' }, dpo.cookie],
      ['/me/access-request', {}, customer.cookie],
      ['/console/sign-out', {}, dpo.cookie],
      ['/me/objections', { directMarketing: 'yes' }, customer.cookie],
      ['/me/sign-out', {}, customer.cookie],
    ];
    for (const [path, form, cookie] of forms) {
      expect((await post(path, form, cookie)).status, `${path} without csrf`).toBe(403);
      expect(
        (await post(path, { ...form, csrf: 'x'.repeat(43) }, cookie)).status,
        `${path} wrong csrf`,
      ).toBe(403);
    }
    // The other area's token does not count either.
    expect(
      (await post('/console/requests', { customerId: alice, csrf: customer.csrf }, dpo.cookie))
        .status,
    ).toBe(403);
    // A sign-in without the pre-session value is refused (no login CSRF).
    expect((await post('/console/sign-in', { token: 'lk_x', csrf: 'y' })).status).toBe(403);
    // Nothing was started, and both sessions still work.
    expect((await api.exports.list()).length).toBe(jobsBefore);
    expect((await stack.redis.keys(heldPattern)).length).toBe(heldBefore);
    expect((await get('/console', dpo.cookie)).status).toBe(200);
    expect((await get('/me', customer.cookie)).status).toBe(200);
    // With the token, the same form works.
    const ok = await post(
      '/console/requests',
      { customerId: alice, channel: 'letter', csrf: dpo.csrf },
      dpo.cookie,
    );
    expect(ok.status).toBe(303);
    // Recorded as received (identity to verify): nothing is exported before an approval.
    expect((await stack.redis.keys(heldPattern)).length).toBe(heldBefore + 1);
    expect((await api.exports.list()).length).toBe(jobsBefore);
  });
});

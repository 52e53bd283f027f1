import { createHash } from 'node:crypto';
import { createRightsApi } from '@lukema/api';
import { redisKeys } from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleHttp } from '../support/console-http.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Console and customer-page sessions live in Redis: they survive a restart of the API (a
 * new server over the same Redis), hold no session id and no DPO token in clear, idle out
 * with the TTL, and a sign-out removes them.
 */
describe('console sessions survive an API restart', () => {
  let stack: TestStack;
  let api: ReturnType<typeof createRightsApi>;
  let base = '';
  const http = consoleHttp(() => base);
  const start = async () => {
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  };

  beforeAll(async () => {
    stack = await createTestStack('console-sessions');
    await start();
  });

  afterAll(async () => {
    await api?.stop();
    await stack?.close();
  });

  it('signs in, restarts the API, the sessions still work; sign-out removes them from Redis', async () => {
    const token = await api.tokens.create('dpo-sessions', 'dpo', ['access_request']);
    const dpo = await http.signInDpo(token);
    const me = await http.signInCustomer(await api.links.mint('100042'));
    expect(dpo.csrf).not.toBe('');
    expect(me.csrf).not.toBe('');
    const prefix = redisKeys(stack.config.registry.redisPrefix).consoleSessions;
    const dpoKey = `${prefix}:${sha256(dpo.id)}`;
    const meKey = `${prefix}:${sha256(me.id)}`;
    const stored = (await stack.redis.get(dpoKey)) ?? '';
    expect(stored).not.toBe('');
    expect(await stack.redis.exists(meKey)).toBe(1);
    // Neither the session id nor the DPO's token is in Redis in clear.
    const all = (await stack.redis.keys(`${prefix}:*`)).join(' ') + stored;
    expect(all).not.toContain(dpo.id);
    expect(all).not.toContain(token);
    const ttl = await stack.redis.pttl(dpoKey);
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);

    await api.stop();
    await start(); // a new server instance (another port) over the same Redis
    const page = await http.get('/console', dpo.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dpo-sessions');
    const own = await http.get('/me', me.cookie);
    expect(own.status).toBe(200);
    // The CSRF token came along: a form posted after the restart is accepted.
    const recorded = await http.post(
      '/console/requests',
      { customerId: '100042', channel: 'email', csrf: dpo.csrf },
      dpo.cookie,
    );
    expect(recorded.status).toBe(303);

    expect((await http.post('/console/sign-out', { csrf: dpo.csrf }, dpo.cookie)).status).toBe(303);
    expect(await stack.redis.exists(dpoKey)).toBe(0);
    expect((await http.get('/console', dpo.cookie)).headers.get('location')).toBe(
      '/console/sign-in',
    );
    expect((await http.post('/me/sign-out', { csrf: me.csrf }, me.cookie)).status).toBe(303);
    expect(await stack.redis.exists(meKey)).toBe(0);
    console.log(
      `[sessions] DPO and customer sessions kept across an API restart (TTL ${Math.round(ttl / 1000)} s, token sealed); signed out: gone from Redis`,
    );
  });
});

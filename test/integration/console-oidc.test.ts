import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRightsApi } from '@lukema/api';
import { contractMessages } from '@lukema/headend-sim';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../support/browser.js';
import { startPipeline } from '../support/pipeline.js';
import { generatedWorld } from '../support/population.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

const IDENTITY = '010190-123M';
const STRANGER = '311280-4561';

/**
 * A stand-in for the utility's identity provider: discovery, authorization (it "authenticates"
 * whoever `person` names), the code exchange with PKCE and client secret, and its keys.
 */
function fakeProvider(person: { code: string }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const codes = new Map<string, { nonce: string; challenge: string; identity: string }>();
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
      });
    if (url.pathname === '/jwks')
      return json(200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1' }] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        nonce: q.get('nonce') ?? '',
        challenge: q.get('code_challenge') ?? '',
        identity: person.code,
      });
      const back = new URL(q.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: q.get('state') ?? '' }).toString();
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        const auth = `Basic ${Buffer.from('lukema:s3cret').toString('base64')}`;
        if (!grant || verifier !== grant.challenge || req.headers.authorization !== auth)
          return json(400, { error: 'invalid_grant' });
        const head = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({
          iss: issuer,
          aud: 'lukema',
          sub: 'person-1',
          exp: Math.floor(Date.now() / 1000) + 300,
          nonce: grant.nonce,
          personal_identity_code: grant.identity,
        })}`;
        json(200, {
          id_token: `${head}.${sign('RSA-SHA256', Buffer.from(head), privateKey).toString('base64url')}`,
          token_type: 'Bearer',
        });
      });
      return;
    }
    json(404, {});
  });
  return {
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return issuer;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe("the customer's sign-in through the identity provider (OIDC)", () => {
  const person = { code: IDENTITY };
  const provider = fakeProvider(person);
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let api: ReturnType<typeof createRightsApi>;
  let browser: Browser;
  let base: string;
  const world = generatedWorld({
    sites: 2,
    seed: 41,
    fromMs: Date.UTC(2026, 4, 1),
    days: 1,
    moveShare: 0,
    vacancyShare: 0,
    badShare: 0,
    lateShare: 0,
  });
  const [first] = world.contracts;
  const customer = first?.customerId ?? '';

  beforeAll(async () => {
    const issuer = await provider.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    stack = await createTestStack('console-oidc', {
      LUKEMA_OIDC_ISSUER: issuer,
      LUKEMA_OIDC_CLIENT_ID: 'lukema',
      LUKEMA_OIDC_CLIENT_SECRET: 's3cret',
      LUKEMA_OIDC_REDIRECT_URL: `${base}/me/oidc/callback`,
    });
    pipeline = await startPipeline(stack);
    api = createRightsApi(stack.config, stack.logger);
    await api.start(port);
    const contracts = world.contracts.map((c) =>
      c === first ? { ...c, personalIdentityCode: IDENTITY } : c,
    );
    await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages(contracts));
    await stack.contractsApplied();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await pipeline?.stop();
    await stack?.close();
    await provider.close();
  });

  it('signs a customer in through the provider and shows only their data', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/me`);
    expect(page.url()).toBe(`${base}/me/sign-in`);
    await screenshot(page, 'customer-0-sign-in-idp');
    await page.click('#sign-in-idp');
    await page.waitForURL(`${base}/me`);
    expect(await page.textContent('h1')).toBe('Omat energiatietoni');
    const sites = await page.textContent('#sites');
    for (const mp of first?.meteringPointIds ?? []) expect(sites).toContain(mp);
    expect(await page.content()).not.toContain(IDENTITY);
    await context.close();
    const own = (await api.audit.records()).filter(
      (r) => r.subject === customer && r.action === 'self.view',
    );
    expect(own.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a callback without the pending state, and a person who is no customer', async () => {
    const forged = await fetch(`${base}/me/oidc/callback?code=abc&state=forged`, {
      redirect: 'manual',
    });
    expect(forged.status).toBe(401);
    expect(
      forged.headers.getSetCookie().some((c) => c.startsWith('lk_me=') && !c.startsWith('lk_me=;')),
    ).toBe(false);

    person.code = STRANGER;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/me/sign-in`);
    await page.click('#sign-in-idp');
    await page.waitForURL(/\/me\/oidc\/callback/);
    expect(await page.textContent('main')).toContain('Kirjautuminen ei onnistunut');
    await page.goto(`${base}/me`);
    expect(page.url()).toBe(`${base}/me/sign-in`);
    await context.close();
  });
});

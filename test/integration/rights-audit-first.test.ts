import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRightsApi } from '@lukema/api';
import { type AuditRecord, hashApiToken, newApiToken, tokenIdOf } from '@lukema/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const DAY = 86_400_000;

/**
 * Every rights action is recorded before it takes effect: bad input is refused before
 * anything happens, an audit trail that cannot store the record stops the action, and
 * tokens (which decide who may act) expire, can be revoked, and are audited too.
 */
describe('rights actions audited before they take effect', () => {
  let stack: TestStack;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  let dpo: string;
  let apiChain: string;
  const dpoCall = (method: string, path: string, body?: unknown) =>
    call(method, path, { token: dpo, purpose: 'access_request', body });

  /** Kafka refuses every record on the API's audit chain (too large), or accepts again. */
  const auditTopicRefuses = async (refuse: boolean) => {
    const { 'retention.ms': retention = '-1' } = await stack.admin.topicConfig(apiChain, [
      'retention.ms',
    ]);
    const config: Record<string, string> = { 'retention.ms': retention };
    if (refuse) config['max.message.bytes'] = '64';
    await stack.admin.alignTopicConfigs([{ topic: apiChain, partitions: 1, config }]);
  };
  const endOffset = async (topic: string) =>
    [...(await stack.admin.endOffsets(topic)).values()].reduce((a, b) => a + b, 0n);
  const records = (): Promise<AuditRecord[]> => api.audit.records();

  const cli = async (...args: string[]) => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'services/api/src/cli.ts', ...args],
      { cwd: root, env: { ...process.env, ...stack.env } },
    );
    return { stdout: stdout.trim(), stderr: stderr.trim() };
  };

  beforeAll(async () => {
    stack = await createTestStack('rights-audit');
    apiChain = `${stack.config.kafka.topics.audit}.api`;
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    dpo = await api.tokens.create('dpo-1', 'dpo', ['access_request', 'internal_operations']);
  });
  afterAll(async () => {
    await api?.stop();
    await stack?.close();
  });

  it('refuses an identity code given as a customer number: 400, no job, nothing recorded of it', async () => {
    const before = await records();
    const attempts = [
      ['POST', '/v1/access-requests', { customerId: '010190-123A' }],
      ['POST', '/v1/access-requests', { customerId: { $gt: '' } }],
      ['POST', '/v1/access-requests', { personalIdentityCode: 12345 }],
      [
        'POST',
        '/v1/access-requests',
        { customerId: '100000', personalIdentityCode: '010190-123A' },
      ],
      [
        'PUT',
        '/v1/customers/0401234567/objections',
        { directMarketing: true, marketResearch: true },
      ],
      [
        'PUT',
        '/v1/customers/010190-123A/objections',
        { directMarketing: true, marketResearch: true },
      ],
      ['POST', '/v1/customers/010190-123A/erasure', undefined],
      ['GET', '/v1/pseudonyms/010190-123A', undefined],
    ] as const;
    const answers: string[] = [];
    for (const [method, path, body] of attempts) {
      const r = await dpoCall(method, path, body);
      const { error } = (await r.json()) as { error: string };
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(error).not.toContain('010190-123A');
      expect(error).not.toContain('0401234567');
      answers.push(`${r.status} ${error}`);
    }
    expect(answers[0]).toMatch(/personalIdentityCode/);
    expect(await api.exports.list()).toHaveLength(0);
    expect(await endOffset(stack.config.kafka.topics.objections)).toBe(0n);
    expect(await endOffset(stack.config.kafka.topics.erasures)).toBe(0n);
    const after = await records();
    expect(after.length).toBe(before.length);
    expect(JSON.stringify(after)).not.toMatch(/010190-123A|0401234567/);
    console.log(`[rights-audit] refused before anything happened: ${answers[0]}`);
  });

  it('does nothing when the audit trail refuses the record: a clear 400, not a 500 after the fact', async () => {
    // A token stored before names were checked, named like a phone number: the guard lets it
    // through, the audit trail refuses every record that names it as the actor.
    const token = newApiToken();
    const now = Date.now();
    await stack.redis.hset(
      `${stack.config.registry.redisPrefix}:api-tokens`,
      hashApiToken(token),
      JSON.stringify({
        id: tokenIdOf(token),
        name: '0401234567',
        role: 'dpo',
        purposes: ['access_request'],
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + DAY).toISOString(),
      }),
    );
    const before = (await records()).length;
    const started = await call('POST', '/v1/access-requests', {
      token,
      purpose: 'access_request',
      body: { customerId: '100004' },
    });
    expect(started.status).toBe(400);
    const { error } = (await started.json()) as { error: string };
    expect(error).toBe(
      'the audit trail refused the request (audit entry actor looks like a phone number); nothing was done',
    );
    const erased = await call('POST', '/v1/customers/100004/erasure', {
      token,
      purpose: 'access_request',
    });
    expect(erased.status).toBe(400);
    expect((await api.exports.list()).length).toBe(0);
    expect(await endOffset(stack.config.kafka.topics.erasures)).toBe(0n);
    expect((await records()).length).toBe(before);
    console.log(`[rights-audit] audit refusal: ${started.status} ${error}`);
  });

  it('does nothing while the audit trail cannot record it, and records before acting once it can', async () => {
    const analyst = await api.tokens.issue('analyst-1', 'analyst', ['grid_planning']);
    const before = (await records()).length;
    await auditTopicRefuses(true);
    try {
      const attempts = [
        ['POST', '/v1/access-requests', { customerId: '100000' }],
        [
          'PUT',
          '/v1/customers/100000/objections',
          { directMarketing: true, marketResearch: false },
        ],
        ['POST', '/v1/customers/100000/erasure', undefined],
        ['DELETE', `/v1/tokens/${analyst.stored.id}`, undefined],
        ['GET', `/v1/pseudonyms/${'ab'.repeat(16)}`, undefined],
      ] as const;
      for (const [method, path, body] of attempts) {
        const r = await call(method, path, {
          token: dpo,
          purpose: method === 'DELETE' ? 'internal_operations' : 'access_request',
          body,
        });
        expect(r.status, `${method} ${path}`).toBe(503);
        expect(((await r.json()) as { error: string }).error).toMatch(/nothing was done/);
      }
      expect(await api.exports.list()).toHaveLength(0);
      expect(await endOffset(stack.config.kafka.topics.objections)).toBe(0n);
      expect(await endOffset(stack.config.kafka.topics.erasures)).toBe(0n);
      const still = await call('GET', '/v1/analytics/daily-consumption', {
        token: analyst.token,
        purpose: 'grid_planning',
      });
      expect(still.status).not.toBe(401); // the revocation did not happen
    } finally {
      await auditTopicRefuses(false);
    }
    expect((await records()).length).toBe(before);

    const started = await dpoCall('POST', '/v1/access-requests', { customerId: '100000' });
    expect(started.status).toBe(202);
    const { requestId } = (await started.json()) as { requestId: string };
    const job = await api.exports.queue.getJob(requestId);
    const create = (await records()).find(
      (r) => r.action === 'export.create' && r.details?.requestId === requestId,
    );
    expect(create).toMatchObject({ outcome: 'allowed', subject: '100000', actor: 'dpo-1' });
    expect(Date.parse(create?.at ?? '')).toBeLessThanOrEqual(job?.timestamp ?? 0);

    // Following the request is recorded too, by customer.
    const status = await dpoCall('GET', `/v1/access-requests/${requestId}`);
    expect(status.status).toBe(200);
    expect(JSON.stringify(await status.json())).not.toContain('100000');
    const followed = (await records()).filter(
      (r) => r.action === 'export.list' && r.details?.requestId === requestId,
    );
    expect(followed).toMatchObject([{ subject: '100000', outcome: 'succeeded' }]);
    console.log(
      `[rights-audit] audit unavailable: 5 actions answered 503 with nothing done; then export.create recorded at ${create?.at}, job created at ${new Date(job?.timestamp ?? 0).toISOString()}`,
    );
  });

  it('expires and revokes tokens (401 afterwards), and audits their creation and revocation', async () => {
    const short = await api.tokens.issue('short-lived', 'analyst', ['grid_planning'], {
      ttlMs: 1500,
    });
    const daily = '/v1/analytics/daily-consumption';
    const asShort = () => call('GET', daily, { token: short.token, purpose: 'grid_planning' });
    expect((await asShort()).status).not.toBe(401);
    const expired = await waitFor('the token to expire', async () => {
      const r = await asShort();
      return r.status === 401 ? ((await r.json()) as { error: string }) : undefined;
    });
    expect(expired.error).toBe('the token has expired');

    const created = await call('POST', '/v1/tokens', {
      token: dpo,
      purpose: 'internal_operations',
      body: { name: 'analyst-2', role: 'analyst', purposes: ['grid_planning'] },
    });
    expect(created.status).toBe(201);
    const issued = (await created.json()) as {
      token: string;
      record: { id: string; createdAt: string; expiresAt: string };
    };
    const lifetime = Date.parse(issued.record.expiresAt) - Date.parse(issued.record.createdAt);
    expect(lifetime).toBe(90 * DAY);
    const asAnalyst = () => call('GET', daily, { token: issued.token, purpose: 'grid_planning' });
    expect((await asAnalyst()).status).not.toBe(401);
    const revoked = await call('DELETE', `/v1/tokens/${issued.record.id}`, {
      token: dpo,
      purpose: 'internal_operations',
    });
    expect(revoked.status).toBe(200);
    const denied = await asAnalyst();
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: string }).error).toBe('the token was revoked');
    const bad = await call('POST', '/v1/tokens', {
      token: dpo,
      purpose: 'internal_operations',
      body: { name: 'matti@example.fi', role: 'dpo', purposes: ['access_request'] },
    });
    expect(bad.status).toBe(400);

    const trail = await records();
    const tokenRecords = trail.filter((r) => r.action.startsWith('token.'));
    expect(tokenRecords.map((r) => `${r.action}:${r.details?.tokenName}`)).toEqual(
      expect.arrayContaining([
        'token.create:short-lived',
        'token.create:analyst-2',
        'token.revoke:analyst-2',
      ]),
    );
    const refusals = trail.filter((r) => r.action === 'access.denied' && r.details?.tokenId);
    expect(refusals.map((r) => r.details?.reason)).toEqual(
      expect.arrayContaining(['the token has expired', 'the token was revoked']),
    );

    // The CLI: create and revoke straight on Redis, recorded in the admin chain first.
    const made = await cli(
      'token',
      'create',
      '--name',
      'cli-made',
      '--role',
      'analyst',
      '--purposes',
      'grid_planning',
      '--expires-in-days',
      '7',
    );
    const cliToken = made.stdout;
    const id = /token ([0-9a-f]{16})/.exec(made.stderr)?.[1] ?? '';
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const asCli = () => call('GET', daily, { token: cliToken, purpose: 'grid_planning' });
    expect((await asCli()).status).not.toBe(401);
    expect((await cli('token', 'list')).stdout).toContain(`${id}  cli-made`);
    expect((await cli('token', 'revoke', id)).stdout).toContain(`revoked ${id}`);
    expect((await asCli()).status).toBe(401);
    const adminChain = await readAdminChain();
    expect(adminChain.map((r) => `${r.action}:${r.details?.tokenId}:${r.outcome}`)).toEqual([
      `token.create:${id}:allowed`,
      `token.revoke:${id}:allowed`,
    ]);
    expect(adminChain[0]?.actor).toMatch(/^cli\./);
    const cliLifetime =
      Date.parse(String(adminChain[0]?.details?.expiresAt)) - Date.parse(adminChain[0]?.at ?? '');
    expect(Math.abs(cliLifetime - 7 * DAY)).toBeLessThan(60_000);
    console.log(
      `[rights-audit] token lifetimes: default ${lifetime / DAY} days; expired → 401 "${expired.error}"; revoked (API and CLI) → 401; ${tokenRecords.length} token records in the API chain, ${adminChain.length} in the admin chain`,
    );
  });

  async function readAdminChain(): Promise<AuditRecord[]> {
    const r = await call('GET', '/v1/audit/entries?action=token.create', {
      token: dpo,
      purpose: 'internal_operations',
    });
    const created = ((await r.json()) as { entries: Array<AuditRecord & { chain: string }> })
      .entries;
    const r2 = await call('GET', '/v1/audit/entries?action=token.revoke', {
      token: dpo,
      purpose: 'internal_operations',
    });
    const revokedEntries = (
      (await r2.json()) as { entries: Array<AuditRecord & { chain: string }> }
    ).entries;
    return [...created, ...revokedEntries]
      .filter((e) => e.chain === 'admin')
      .sort((a, b) => a.seq - b.seq);
  }

  it('lists audit entries by customer, actor, action and time for the DPO only, and records the reading', async () => {
    const operator = await api.tokens.create('operator-1', 'operator', ['internal_operations']);
    const analyst = await api.tokens.create('analyst-3', 'analyst', ['grid_planning']);
    const t0 = new Date().toISOString();
    const objection = await dpoCall('PUT', '/v1/customers/100002/objections', {
      directMarketing: true,
      marketResearch: true,
    });
    expect(objection.status).toBe(202);
    const started = await dpoCall('POST', '/v1/access-requests', { customerId: '100000' });
    const { requestId } = (await started.json()) as { requestId: string };
    expect((await dpoCall('GET', `/v1/access-requests/${requestId}`)).status).toBe(200);
    const list = (query: string, token = dpo, purpose = 'internal_operations') =>
      call('GET', `/v1/audit/entries${query}`, { token, purpose });
    expect((await list('', operator)).status).toBe(403);
    expect((await list('', analyst, 'grid_planning')).status).toBe(403);
    expect((await list('?customer=010190-123A')).status).toBe(400);
    expect((await list('?from=yesterday')).status).toBe(400);

    type Listing = { entries: Array<AuditRecord & { chain: string }>; total: number };
    const byCustomer = (await (await list('?customer=100000')).json()) as Listing;
    expect(byCustomer.entries.length).toBeGreaterThanOrEqual(2);
    expect(byCustomer.entries.every((e) => e.subject === '100000')).toBe(true);
    const query = `?customer=100002&actor=dpo-1&action=optout.set&from=${encodeURIComponent(t0)}&to=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`;
    const narrowed = (await (await list(query)).json()) as Listing;
    expect(narrowed.entries).toHaveLength(1);
    expect(narrowed.entries[0]).toMatchObject({
      chain: 'api',
      action: 'optout.set',
      outcome: 'allowed',
      subject: '100002',
      details: { directMarketing: true, marketResearch: true },
    });
    const before = (await (
      await list(`?to=${encodeURIComponent(t0)}&action=optout.set`)
    ).json()) as Listing;
    expect(before.entries.filter((e) => e.subject === '100002')).toHaveLength(0);

    const reads = (await records()).filter((r) => r.action === 'audit.read');
    const narrowRead = reads.find((r) => r.subject === '100002');
    expect(narrowRead).toMatchObject({ actor: 'dpo-1', role: 'dpo', outcome: 'succeeded' });
    expect(narrowRead?.details).toMatchObject({ actor: 'dpo-1', action: 'optout.set', entries: 1 });
    expect(reads.map((r) => r.subject)).toContain('100000');
    console.log(
      `[rights-audit] audit listing: ${byCustomer.total} entries for customer 100000, ${narrowed.total} for customer+actor+action+time; ${reads.length} readings recorded`,
    );
  });
});

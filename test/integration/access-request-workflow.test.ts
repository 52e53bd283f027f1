import { randomInt } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRightsApi } from '@lukema/api';
import { type AuditRecord, gsrnFromBody } from '@lukema/core';
import { exportFolder, redisKeys } from '@lukema/platform';
import { MeterMessageCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { openContract, quarterHourPush } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new MeterMessageCodec();
const FROM = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;

interface Held {
  requestId: string;
  customerId: string;
  state: string;
  receivedAt: string;
  identityVerifiedBy?: string;
  deniedReason?: string;
}

/**
 * The access-request workflow on the real engines: received (identity to verify), the
 * identity check recorded (new), approved (the export runs, its deadline from receipt), or
 * denied with a reason (recorded first; no export job).
 */
describe('access requests: received, identity verified, approved or denied', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  let dpo: string;
  const run = String(randomInt(100_000, 999_999));
  const mp = gsrnFromBody(`64300758${run}001`);
  const identityCode = '131052-308T';
  const contract = {
    ...openContract(mp, `5${run}`, '2026-11-01'),
    personalIdentityCode: identityCode,
  };
  const asDpo = () => ({ token: dpo, purpose: 'access_request' });
  const auditOf = async (requestId: string): Promise<AuditRecord[]> =>
    (await api.audit.records()).filter((r) => r.details?.requestId === requestId);

  beforeAll(async () => {
    stack = await createTestStack('request-workflow');
    pipeline = await startPipeline(stack);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    dpo = await api.tokens.create('dpo-workflow', 'dpo', ['access_request']);
    await stack.producer.send(stack.config.kafka.topics.contracts, [
      { key: contract.contractId, value: JSON.stringify(contract) },
    ]);
    await stack.contractsApplied();
    await stack.producer.send(
      stack.config.kafka.topics.readings,
      [0, 1].map((i) => ({
        key: mp,
        value: codec.encodeInterval(quarterHourPush(mp, FROM + i * DAY, 100)),
      })),
    );
    await waitFor('readings committed', async () => (await stack.lag()) === 0, {
      timeoutMs: 90_000,
    });
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await pipeline?.stop();
    await stack?.close();
  });

  it('a letter: identity to verify → identity verified → approved → export ready, deadline from receipt', async () => {
    const received = new Date(Date.now() - 5 * DAY).toISOString().slice(0, 10);
    // Received by letter, found by the identity code; the code is not kept anywhere.
    const r = await call('POST', '/v1/access-requests/received', {
      ...asDpo(),
      body: { personalIdentityCode: identityCode, channel: 'letter', received, language: 'en' },
    });
    expect(r.status).toBe(201);
    const held = (await r.json()) as Held;
    expect(held).toMatchObject({ customerId: contract.customerId, state: 'identity to verify' });
    expect(held.receivedAt).toBe(`${received}T00:00:00.000Z`);
    const key = `${redisKeys(stack.config.registry.redisPrefix).heldRequests}:${held.requestId}`;
    const stored = (await stack.redis.get(key)) ?? '';
    expect(stored).toContain(contract.customerId);
    expect(stored).not.toContain(identityCode);
    expect(stored).not.toContain(identityCode.replace('-', ''));
    // Bounded by the retention policy (100 days from receipt), less the 5 days gone.
    const ttl = await stack.redis.ttl(key);
    // (A day less the time of day: more than 94 days, unless the date turned between the two
    // calls, so a couple of minutes' slack.)
    expect(ttl).toBeGreaterThan(94 * 86_400 - 120);
    expect(ttl).toBeLessThanOrEqual(95 * 86_400);
    // Not approvable before the identity check; no export exists yet.
    expect(
      (await call('POST', `/v1/access-requests/${held.requestId}/approval`, asDpo())).status,
    ).toBe(409);
    expect((await call('GET', `/v1/access-requests/${held.requestId}`, asDpo())).status).toBe(404);

    const verified = await call('POST', `/v1/access-requests/${held.requestId}/identity`, {
      ...asDpo(),
      body: { method: 'signed letter checked against the contract address' },
    });
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as Held).state).toBe('new');
    const approved = await call('POST', `/v1/access-requests/${held.requestId}/approval`, asDpo());
    expect(approved.status).toBe(202);
    await waitFor('the export ready', async () => {
      const s = await call('GET', `/v1/access-requests/${held.requestId}`, asDpo());
      return ((await s.json()) as { state: string }).state === 'completed';
    });
    const status = (await (
      await call('GET', `/v1/access-requests/${held.requestId}`, asDpo())
    ).json()) as {
      receivedAt: string;
      result: { found: boolean; readings: number };
    };
    expect(status.result.found).toBe(true);
    expect(status.receivedAt).toBe(held.receivedAt); // the deadline counts from receipt
    expect(await stack.redis.exists(key)).toBe(0); // the export queue holds it now
    const file = await call(
      'GET',
      `/v1/access-requests/${held.requestId}/files/access-export.csv`,
      asDpo(),
    );
    expect(file.status).toBe(200);
    expect(await file.text()).toContain(mp);
    const trail = (await auditOf(held.requestId)).map((a) => `${a.action}:${a.outcome}`);
    expect(trail.slice(0, 3)).toEqual([
      'request.receive:allowed',
      'request.verify:allowed',
      'export.create:allowed',
    ]);
    const verify = (await auditOf(held.requestId)).find((a) => a.action === 'request.verify');
    expect(verify?.details?.method).toBe('signed letter checked against the contract address');
    // Cancelled once ready: the job and its files go together (the files, with the customer's
    // readings, stayed on disk before, where no erasure looks: it finds exports by their job).
    const folder = join(
      exportFolder(
        stack.config.api.exportDir,
        redisKeys(stack.config.registry.redisPrefix).exportQueue,
      ),
      held.requestId,
    );
    expect(await readdir(folder)).toHaveLength(3);
    const cancelled = await call('DELETE', `/v1/access-requests/${held.requestId}`, asDpo());
    expect(cancelled.status).toBe(200);
    expect(await api.exports.queue.getJob(held.requestId)).toBeUndefined();
    expect(await readdir(folder).catch(() => [])).toEqual([]);
    console.log(
      `[workflow] letter received ${received} → identity verified → approved → ready ` +
        `(${status.result.readings} readings); audit: ${trail.join(', ')}`,
    );
  });

  it('an e-mail denied with a reason: the reason is in the audit trail, no export job exists', async () => {
    const r = await call('POST', '/v1/access-requests/received', {
      ...asDpo(),
      body: { customerId: contract.customerId, channel: 'email' },
    });
    const held = (await r.json()) as Held;
    const reason = 'identity not verified: no answer to two requests for proof';
    const denied = await call('POST', `/v1/access-requests/${held.requestId}/denial`, {
      ...asDpo(),
      body: { reason },
    });
    expect(denied.status).toBe(200);
    expect((await denied.json()) as Held).toMatchObject({ state: 'denied', deniedReason: reason });
    const record = (await auditOf(held.requestId)).find((a) => a.action === 'request.deny');
    expect(record).toMatchObject({ outcome: 'allowed', subject: contract.customerId });
    expect(record?.details?.reason).toBe(reason);
    // Denied stays denied: no approval, no export job.
    expect(
      (await call('POST', `/v1/access-requests/${held.requestId}/approval`, asDpo())).status,
    ).toBe(409);
    expect(await api.exports.queue.getJob(held.requestId)).toBeUndefined();
    const list = (await (await call('GET', '/v1/access-requests/received', asDpo())).json()) as {
      requests: Held[];
    };
    expect(list.requests.find((h) => h.requestId === held.requestId)?.state).toBe('denied');
    // A denial reason that holds an identifier is refused by the trail, and nothing changes.
    const other = (await (
      await call('POST', '/v1/access-requests/received', {
        ...asDpo(),
        body: { customerId: contract.customerId, channel: 'phone' },
      })
    ).json()) as Held;
    // A receipt date older than held requests are kept (100 days) is refused.
    const old = new Date(Date.now() - 120 * DAY).toISOString().slice(0, 10);
    const tooOld = await call('POST', '/v1/access-requests/received', {
      ...asDpo(),
      body: { customerId: contract.customerId, channel: 'letter', received: old },
    });
    expect(tooOld.status).toBe(400);
    const leaky = await call('POST', `/v1/access-requests/${other.requestId}/denial`, {
      ...asDpo(),
      body: { reason: `caller gave ${identityCode}` },
    });
    expect(leaky.status).toBe(400);
    console.log(`[workflow] denied with reason recorded (audit seq ${record?.seq}); no export job`);
  });

  it('is DPO-only: an operator can list exports but not received requests', async () => {
    const operator = await api.tokens.create('ops-workflow', 'operator', ['access_request']);
    const asOp = { token: operator, purpose: 'access_request' };
    expect((await call('GET', '/v1/access-requests', asOp)).status).toBe(200);
    expect((await call('GET', '/v1/access-requests/received', asOp)).status).toBe(403);
    expect(
      (
        await call('POST', '/v1/access-requests/received', {
          ...asOp,
          body: { customerId: contract.customerId, channel: 'letter' },
        })
      ).status,
    ).toBe(403);
  });
});

import { createRightsApi } from '@lukema/api';
import {
  type AuditRecord,
  assertNoDirectIdentifiers,
  type ContractEvent,
  verifyChain,
} from '@lukema/core';
import { contractMessages, type SimulatedMessage } from '@lukema/headend-sim';
import { createRegistry } from '@lukema/registry';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { expectedOutcome } from '../support/ground-truth.js';
import { startPipeline } from '../support/pipeline.js';
import { generatedWorld } from '../support/population.js';
import { storedPoints } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const DAY = 86_400_000;
const FROM = Date.UTC(2026, 4, 1);

interface ExportJson {
  meteringPoints: Array<{
    meteringPointId: string;
    series: Array<{ direction: string; readings: Array<[string, number | null, string]> }>;
  }>;
}

describe("the data subject's rights over a generated population", () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};
  const {
    population: sites,
    contracts,
    messages,
  } = generatedWorld({
    sites: 24,
    seed: 21,
    fromMs: FROM,
    days: 3,
    moveShare: 0.5,
    vacancyShare: 0.5,
    badShare: 0.03,
    lateShare: 0.1,
  });
  const customers = [...new Set(contracts.map((c) => c.customerId))];
  const objecting = new Set(customers.filter((_, i) => i % 3 === 0));
  const corrections: {
    contracts: ContractEvent[];
    messages: SimulatedMessage[];
    correctedCustomer?: string;
  } = { contracts: [], messages: [] };
  /** The contracts as the customer system states them now (corrections replace by id). */
  const currentContracts = () => {
    const byId = new Map(contracts.map((c) => [c.contractId, c]));
    for (const c of corrections.contracts) byId.set(c.contractId, c);
    return [...byId.values()];
  };

  const exportOf = async (customerId: string) => {
    const started = await call('POST', '/v1/access-requests', {
      token: tokens.dpo,
      purpose: 'access_request',
      body: { customerId },
    });
    expect(started.status).toBe(202);
    const { requestId } = (await started.json()) as { requestId: string };
    const status = await waitFor('the export job', async () => {
      const r = await call('GET', `/v1/access-requests/${requestId}`, {
        token: tokens.dpo,
        purpose: 'access_request',
      });
      const s = (await r.json()) as { state: string; result?: { found: boolean } };
      return s.state === 'completed' ? s : undefined;
    });
    return { requestId, found: status.result?.found ?? false };
  };

  beforeAll(async () => {
    stack = await createTestStack('rights');
    pipeline = await startPipeline(stack);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    tokens.dpo = await api.tokens.create('dpo-1', 'dpo', [
      'access_request',
      'authority_request',
      'internal_operations',
    ]);
    tokens.analyst = await api.tokens.create('analyst-1', 'analyst', [
      'grid_planning',
      'marketing',
      'market_research',
    ]);
    tokens.operator = await api.tokens.create('operator-1', 'operator', [
      'internal_operations',
      'access_request',
    ]);

    // Late assignments: readings first, contracts after; objections from the customer system.
    await stack.producer.send(stack.config.kafka.topics.readings, messages);
    await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages(contracts));
    await stack.producer.send(
      stack.config.kafka.topics.objections,
      [...objecting].map((customerId) => ({
        key: customerId,
        value: JSON.stringify({
          customerId,
          directMarketingOptOut: true,
          marketResearchOptOut: true,
          updatedAt: '2026-05-01T00:00:00Z',
        }),
      })),
    );
    const settled = async () => {
      await waitFor(
        'contracts applied',
        async () =>
          (await stack.lag(stack.config.kafka.topics.contracts, stack.config.registry.group)) ===
            0 &&
          (await stack.lag(stack.config.kafka.topics.objections, stack.config.registry.group)) ===
            0,
      );
      await waitFor('readings committed', async () => (await stack.lag()) === 0, {
        timeoutMs: 90_000,
      });
    };
    await settled();

    // Then the customer system backdates a move-out (the occupant left two days earlier and
    // a new one moved in), and a head-end re-sends a push with corrected values.
    const site =
      sites.find(
        (x) =>
          !contracts.some(
            (c) => c.meteringPointIds.includes(x.meteringPointId) && c.endDate !== null,
          ),
      ) ?? sites[0];
    const original = contracts.find((c) =>
      c.meteringPointIds.includes(site?.meteringPointId ?? ''),
    ) as ContractEvent;
    const moveOut = new Date(FROM + DAY).toISOString().slice(0, 10);
    const corrected: ContractEvent = {
      ...original,
      endDate: moveOut,
      updatedAt: new Date().toISOString(),
    };
    const newcomer: ContractEvent = {
      ...original,
      contractId: `${original.contractId}-B`,
      customerId: '990001',
      startDate: moveOut,
      endDate: null,
    };
    corrections.contracts.push(corrected, newcomer);
    const push = messages.find(
      (m) => !m.fault && m.key === site?.meteringPointId,
    ) as SimulatedMessage;
    const batch = codec.decode(push.value as Buffer);
    const fixed = {
      ...batch,
      sentAtMs: batch.sentAtMs + 1,
      intervals: batch.intervals.map((i) => ({ ...i, quantityWh: (i.quantityWh ?? 0) + 7 })),
    };
    corrections.messages.push({
      key: push.key,
      value: codec.encode(fixed),
      readings: fixed.intervals.length,
      fault: null,
    });
    corrections.correctedCustomer = original.customerId;
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([corrected, newcomer]),
    );
    await stack.producer.send(stack.config.kafka.topics.readings, corrections.messages);
    customers.push('990001');
    await settled();
  });
  afterAll(async () => {
    await api?.stop();
    await pipeline?.stop();
    await stack?.close();
  });

  it("exports exactly each customer's own readings", async () => {
    const expected = expectedOutcome([...messages, ...corrections.messages], currentContracts());
    expect(corrections.contracts).toHaveLength(2);
    const byCustomer = new Map<string, Set<string>>();
    for (const p of expected.points) {
      const owner = currentContracts().find((c) => c.contractId === p.contractId)?.customerId ?? '';
      const set = byCustomer.get(owner) ?? new Set<string>();
      set.add(
        `${p.meteringPointId}|${p.direction}|${p.timeMs}|${p.quantityWh === null ? '' : p.quantityWh / 1000}`,
      );
      byCustomer.set(owner, set);
    }
    let compared = 0;
    for (const customerId of customers) {
      const { requestId, found } = await exportOf(customerId);
      const want = byCustomer.get(customerId) ?? new Set<string>();
      if (!found) {
        expect(want.size).toBe(0);
        continue;
      }
      const file = await call('GET', `/v1/access-requests/${requestId}/files/access-export.json`, {
        token: tokens.dpo,
        purpose: 'access_request',
      });
      expect(file.status).toBe(200);
      const doc = (await file.json()) as ExportJson;
      const got = new Set<string>();
      for (const mp of doc.meteringPoints) {
        for (const s of mp.series) {
          for (const [start, kwh] of s.readings)
            got.add(`${mp.meteringPointId}|${s.direction}|${Date.parse(start)}|${kwh ?? ''}`);
        }
      }
      expect(got).toEqual(want);
      compared += want.size;
    }
    expect(compared).toBe(expected.points.length);
    const csv = await call(
      'GET',
      `/v1/access-requests/${(await exportOf(customers[1] as string)).requestId}/files/access-export.csv`,
      { token: tokens.dpo, purpose: 'access_request' },
    );
    const bytes = Buffer.from(await csv.bytes());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: spreadsheets read it right
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
      'MeteringPointGSRN;Product Type;Resolution;Unit Type;Reading Type;Start Time;Quantity;Quality;Status',
    );
    console.log(
      `[rights] ${customers.length} customers' exports equal the ground truth (${compared} readings)`,
    );
  });

  it('keeps in the audit trail that a reading value was corrected, and for whom', async () => {
    const records = await waitFor('the correction recorded', async () => {
      const all = await pipeline.registry.audit.records();
      const found = all.filter((r) => r.action === 'rectify.reading');
      return found.length > 0 ? found : undefined;
    });
    expect(records.map((r) => r.subject)).toContain(corrections.correctedCustomer);
    expect(records.every((r) => r.details?.intervals === 24)).toBe(true);
    // Only the corrected push: re-sent identical pushes and parked releases are not corrections.
    expect(records).toHaveLength(1);
  });

  it('never returns a customer who objected on a marketing or research path', async () => {
    const query = `/v1/analytics/daily-consumption?from=${new Date(FROM).toISOString()}&to=${new Date(FROM + 4 * DAY).toISOString()}`;
    const ownerOf = async (pseudonym: string) =>
      (await pipeline.registry.store.findPseudonym(pseudonym))?.customerId;
    // Per-pseudonym series are for grid planning only; marketing and research get guarded
    // aggregates, where the objection filter removes objectors (analytics-guards.test.ts).
    for (const purpose of ['marketing', 'market_research']) {
      const r = await call('GET', query, { token: tokens.analyst, purpose });
      expect(r.status).toBe(403);
    }
    const planning = await call('GET', query, { token: tokens.analyst, purpose: 'grid_planning' });
    const { series } = (await planning.json()) as { series: Array<{ pseudonym: string }> };
    const owners = await Promise.all([...new Set(series.map((s) => s.pseudonym))].map(ownerOf));
    expect(owners.some((o) => objecting.has(o ?? ''))).toBe(true); // grid planning keeps them
  });

  it('refuses export, download and re-identification to anyone but the DPO', async () => {
    const { requestId } = await exportOf(customers[0] as string);
    const [pseudonym] = (await storedPoints(stack)).map((p) => p.pseudonym);
    const attempts = [
      ['POST', '/v1/access-requests', tokens.analyst, 'grid_planning', 403],
      ['POST', '/v1/access-requests', tokens.operator, 'access_request', 403],
      [
        'GET',
        `/v1/access-requests/${requestId}/files/access-export.csv`,
        tokens.operator,
        'access_request',
        403,
      ],
      [
        'GET',
        `/v1/access-requests/${requestId}/files/access-export.csv`,
        tokens.analyst,
        'marketing',
        403,
      ],
      ['GET', `/v1/pseudonyms/${pseudonym}`, tokens.analyst, 'grid_planning', 403],
      ['GET', `/v1/pseudonyms/${pseudonym}`, undefined, 'access_request', 401],
      ['GET', `/v1/pseudonyms/${pseudonym}`, tokens.dpo, undefined, 403],
    ] as const;
    for (const [method, path, token, purpose, status] of attempts) {
      const r = await call(method, path, {
        ...(token ? { token } : {}),
        ...(purpose ? { purpose } : {}),
        body: method === 'POST' ? { customerId: customers[0] } : undefined,
      });
      expect(r.status, `${method} ${path} as ${purpose}`).toBe(status);
    }
    const ok = await call('GET', `/v1/pseudonyms/${pseudonym}`, {
      token: tokens.dpo,
      purpose: 'access_request',
    });
    expect(ok.status).toBe(200);
    const records = await api.audit.records();
    expect(records.filter((r) => r.action === 'access.denied').length).toBeGreaterThanOrEqual(
      attempts.length,
    );
  });

  it('fails an export at once, naming the migration, while a series is in an earlier layout', async () => {
    const [point] = await storedPoints(stack);
    if (!point) throw new Error('no stored reading');
    const owner = await pipeline.registry.store.findPseudonym(point.pseudonym);
    if (!owner) throw new Error('no owner');
    // One reading of the series as the spelled-out layout stored it, inside its period.
    const bucket = stack.config.influx.buckets.readings;
    await stack.influx.writeLines(bucket, [
      `energy,area=001xx,direction=consumption,pseudonym=${point.pseudonym},resolution=PT15M kwh=0.5 ${point.timeMs + 60_000}`,
    ]);
    try {
      const started = await call('POST', '/v1/access-requests', {
        token: tokens.dpo,
        purpose: 'access_request',
        body: { customerId: owner.customerId },
      });
      const { requestId } = (await started.json()) as { requestId: string };
      const failed = await waitFor('the export to fail', async () => {
        const r = await call('GET', `/v1/access-requests/${requestId}`, {
          token: tokens.dpo,
          purpose: 'access_request',
        });
        const s = (await r.json()) as { state: string; failedReason?: string };
        return s.state === 'failed' ? s : undefined;
      });
      console.log(`[rights] export with an unmigrated series: ${failed.failedReason}`);
      expect(failed.failedReason).toMatch(/earlier layout.*migrate-layout/);
      expect(failed.failedReason).not.toContain(point.pseudonym);
    } finally {
      await stack.influx.deletePoints(
        bucket,
        `pseudonym="${point.pseudonym}"`,
        new Date(point.timeMs).toISOString(),
        new Date(point.timeMs + 120_000).toISOString(),
      );
    }
  });

  it('verifies the audit trail and detects a tampered or removed record', async () => {
    const verified = await call('GET', '/v1/audit/verify', {
      token: tokens.operator,
      purpose: 'internal_operations',
    });
    expect(((await verified.json()) as { ok: boolean }).ok).toBe(true);
    const records: AuditRecord[] = await api.audit.records();
    expect(verifyChain(records).ok).toBe(true);
    const altered = records.map((r, i) => (i === 2 ? { ...r, outcome: 'denied' as const } : r));
    expect(verifyChain(altered)).toMatchObject({ ok: false, brokenAt: 3 });
    expect(verifyChain(records.filter((_, i) => i !== 4)).ok).toBe(false);
    // No identity code or contact data in the audit trail.
    for (const record of records) expect(() => assertNoDirectIdentifiers(record)).not.toThrow();
  });

  it('erases a customer: their export is empty afterwards and their series are gone', async () => {
    const victim = customers.find((c) => !objecting.has(c)) as string;
    const contract = contracts.find((c) => c.customerId === victim) as ContractEvent;
    const stored = await stack.registryContract(contract.contractId);
    const pseudonyms = Object.values(stored?.pseudonyms ?? {});
    expect(pseudonyms.length).toBeGreaterThan(0);
    const r = await call('POST', `/v1/customers/${victim}/erasure`, {
      token: tokens.dpo,
      purpose: 'access_request',
    });
    expect(r.status).toBe(202);
    // Carried out when the registry committed the request (destroying the key is not its last
    // step: the exports are purged again and the erasure recorded after it).
    await waitFor(
      'the erasure',
      async () =>
        (await stack.lag(stack.config.kafka.topics.erasures, stack.config.registry.group)) === 0,
    );
    expect(pipeline.registry.keys.has(victim)).toBe(false);
    expect((await exportOf(victim)).found).toBe(false);
    const left = (await storedPoints(stack)).filter((p) => pseudonyms.includes(p.pseudonym));
    expect(left).toHaveLength(0);
    const registryAudit = await pipeline.registry.audit.records();
    const erasure = registryAudit.find((a) => a.action === 'erase');
    expect(erasure).toBeDefined();
    expect(JSON.stringify(erasure)).not.toContain(victim);

    // Redis loses the registry; it is rebuilt from the topics. The erased customer's
    // contract events are still in the customer system's topic, but stay erased.
    await pipeline.registry.stop();
    const registryKeys = await stack.redis.keys(`${stack.config.registry.redisPrefix}:registry:*`);
    await stack.redis.del(...registryKeys);
    const rebuilt = createRegistry(stack.config, stack.logger);
    await rebuilt.start();
    try {
      await waitFor(
        'the rebuild',
        async () =>
          (await stack.lag(stack.config.kafka.topics.contracts, stack.config.registry.group)) ===
            0 &&
          (await rebuilt.store.contractsOfCustomer(customers.find((c) => c !== victim) as string))
            .length > 0,
      );
      expect(await rebuilt.store.contractsOfCustomer(victim)).toHaveLength(0);
      expect(rebuilt.keys.has(victim)).toBe(false);
      expect((await exportOf(victim)).found).toBe(false);
    } finally {
      await rebuilt.stop();
    }
  });
});

import { randomInt } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createExportWorker, createRightsApi, ExportJobs } from '@lukema/api';
import {
  type ContractEvent,
  gsrnFromBody,
  identityCodeHash,
  parsePrivacyPolicy,
} from '@lukema/core';
import {
  BullmqExportArchive,
  createQueueRedis,
  exportFolder,
  KafkajsSnapshotReader,
  keepMsOf,
  redisConnection,
  redisKeys,
  retentionRules,
  type StoredContract,
} from '@lukema/platform';
import { MeterMessageCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { consoleHttp } from '../support/console-http.js';
import { openContract, quarterHourPush } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new MeterMessageCodec();
const FROM = Date.UTC(2026, 10, 1);
const SIX_HOURS = 6 * 3_600_000;

/** Every file under a folder (recursively), with its bytes. */
async function filesUnder(dir: string): Promise<Array<{ path: string; bytes: Buffer }>> {
  const out: Array<{ path: string; bytes: Buffer }> = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push({ path, bytes: await readFile(path) });
  }
  return out;
}

describe('erasure leaves nothing of the customer behind', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  let base = '';
  const page = consoleHttp(() => base);
  let dpo: string;
  const asDpo = { purpose: 'access_request' } as const;
  // Fresh identifiers per run: the export folder outlives test stacks.
  const run = String(randomInt(100_000, 999_999));
  const mpErased = gsrnFromBody(`64300757${run}001`);
  const mpKept = gsrnFromBody(`64300757${run}002`);
  const identityCode = '131052-308T';
  const erased: ContractEvent & { personalIdentityCode: string } = {
    ...openContract(mpErased, `5${run}`, '2026-11-01'),
    personalIdentityCode: identityCode,
  };
  const kept: ContractEvent = openContract(mpKept, `6${run}`, '2026-11-01');
  const redisNames = () => redisKeys(stack.config.registry.redisPrefix);
  const exportDir = () => exportFolder(stack.config.api.exportDir, redisNames().exportQueue);

  /** Every key and value under the test's Redis prefix and its BullMQ queue, as one text. */
  async function redisDump(): Promise<string> {
    const parts: string[] = [];
    for (const pattern of [
      `${stack.config.registry.redisPrefix}:*`,
      `bull:${redisNames().exportQueue}:*`,
    ]) {
      let cursor = '0';
      do {
        const [next, keys] = await stack.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          parts.push(key);
          const type = await stack.redis.type(key);
          if (type === 'string')
            parts.push((await stack.redis.getBuffer(key))?.toString('latin1') ?? '');
          if (type === 'hash') parts.push(JSON.stringify(await stack.redis.hgetall(key)));
          if (type === 'list')
            parts.push(
              ...(await stack.redis.lrangeBuffer(key, 0, -1)).map((b) => b.toString('latin1')),
            );
          if (type === 'set') parts.push(...(await stack.redis.smembers(key)));
          if (type === 'zset') parts.push(...(await stack.redis.zrange(key, 0, -1)));
          if (type === 'stream')
            parts.push(JSON.stringify(await stack.redis.xrange(key, '-', '+')));
        }
      } while (cursor !== '0');
    }
    return parts.join('\n');
  }

  /** Every point and tag in the test bucket, as one text. */
  async function influxDump(): Promise<string> {
    const rows = await stack.influx.rows<Record<string, unknown>>(stack.from());
    return rows.map((r) => JSON.stringify(r)).join('\n');
  }

  async function exportOf(customerId: string): Promise<string> {
    const started = await call('POST', '/v1/access-requests', {
      token: dpo,
      ...asDpo,
      body: { customerId },
    });
    expect(started.status).toBe(202);
    const { requestId } = (await started.json()) as { requestId: string };
    await waitFor('the export', async () => {
      const r = await call('GET', `/v1/access-requests/${requestId}`, { token: dpo, ...asDpo });
      return ((await r.json()) as { state: string }).state === 'completed';
    });
    return requestId;
  }

  const download = (requestId: string) =>
    call('GET', `/v1/access-requests/${requestId}/files/access-export.csv`, {
      token: dpo,
      ...asDpo,
    });

  beforeAll(async () => {
    stack = await createTestStack('erasure');
    pipeline = await startPipeline(stack);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    call = apiClient(base);
    dpo = await api.tokens.create('dpo-erasure', 'dpo', ['access_request']);
    await stack.producer.send(stack.config.kafka.topics.contracts, [
      { key: erased.contractId, value: JSON.stringify(erased) },
      { key: kept.contractId, value: JSON.stringify(kept) },
    ]);
    await stack.producer.send(stack.config.kafka.topics.objections, [
      {
        key: erased.customerId,
        value: JSON.stringify({
          customerId: erased.customerId,
          directMarketingOptOut: true,
          marketResearchOptOut: false,
          updatedAt: '2026-11-01T00:00:00Z',
        }),
      },
    ]);
    await stack.contractsApplied();
    await stack.producer.send(
      stack.config.kafka.topics.readings,
      [mpErased, mpKept].flatMap((mp) =>
        [0, 1, 2, 3].map((i) => ({
          key: mp,
          value: codec.encodeInterval(quarterHourPush(mp, FROM + i * SIX_HOURS, 100 + i)),
        })),
      ),
    );
    await waitFor('readings committed', async () => (await stack.lag()) === 0, {
      timeoutMs: 90_000,
    });
    // A reading of the customer's period left parked (as a rectification leaves them).
    await pipeline.registry.parking.park([
      {
        meteringPointId: mpErased,
        message: codec.encodeInterval(quarterHourPush(mpErased, FROM + 8 * SIX_HOURS, 500)),
      },
    ]);
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await pipeline?.stop();
    await stack?.close();
  });

  it('removes every trace from Redis, the export folder and InfluxDB; the old download is gone', async () => {
    const contract = await stack.registryContract(erased.contractId);
    const pseudonyms = Object.values(contract?.pseudonyms ?? {});
    expect(pseudonyms).toHaveLength(1);
    const identityHash = identityCodeHash(pipeline.registry.identityKey, identityCode);
    const needles = [
      erased.customerId,
      mpErased,
      erased.contractId,
      erased.siteId,
      identityCode,
      identityHash,
      ...pseudonyms,
    ];
    const earlier = await exportOf(erased.customerId);
    expect((await download(earlier)).status).toBe(200);
    const keptExport = await exportOf(kept.customerId);
    // An export still queued when the erasure comes: it is cancelled, never built.
    await api.worker.pause(true);
    const queued = await call('POST', '/v1/access-requests', {
      token: dpo,
      ...asDpo,
      body: { customerId: erased.customerId },
    });
    expect(queued.status).toBe(202);
    // Each Redis store the erasure must purge holds the customer's metering point now.
    const names = redisNames();
    const digestKeys = await stack.redis.keys(`${names.windowDigests}:*`);
    const digests = (await Promise.all(digestKeys.map((k) => stack.redis.hkeys(k)))).flat();
    expect(digests.some((id) => id.startsWith(`${mpErased}|`))).toBe(true);
    expect(await stack.redis.llen(`${names.parked}:mp:${mpErased}`)).toBe(1);
    const revisionKeys = await stack.redis.keys(`${names.windowRevisions}:*`);
    const revisions = (await Promise.all(revisionKeys.map((k) => stack.redis.hkeys(k)))).flat();
    expect(revisions.some((field) => field.startsWith(`r|${mpErased}|`))).toBe(true);
    // A request received by letter and held (identity to verify), and an unused one-time
    // sign-in link to the customer's page: both are the customer's, both must go.
    const held = await call('POST', '/v1/access-requests/received', {
      token: dpo,
      ...asDpo,
      body: { customerId: erased.customerId, channel: 'letter' },
    });
    expect(held.status).toBe(201);
    const heldId = ((await held.json()) as { requestId: string }).requestId;
    expect(await stack.redis.exists(`${names.heldRequests}:${heldId}`)).toBe(1);
    // And the customer signed in to their page (a session), with a second link unused.
    const session = await page.signInCustomer(await api.links.mint(erased.customerId));
    expect((await page.get('/me', session.cookie)).status).toBe(200);
    const link = await api.links.mint(erased.customerId);
    expect(await stack.redis.keys(`${names.signInLinks}:*`)).toHaveLength(1);
    expect(await stack.redis.keys(`${names.consoleSessions}:*`)).toHaveLength(1);
    const before = await redisDump();
    for (const needle of [erased.customerId, mpErased, identityHash, ...pseudonyms])
      expect(before, `${needle} before erasure`).toContain(needle);

    const r = await call('POST', `/v1/customers/${erased.customerId}/erasure`, {
      token: dpo,
      ...asDpo,
    });
    expect(r.status).toBe(202);
    await waitFor(
      'the erasure carried out',
      async () =>
        (await stack.lag(stack.config.kafka.topics.erasures, stack.config.registry.group)) === 0,
    );
    api.worker.resume();

    const redis = await redisDump();
    const files = await filesUnder(stack.config.api.exportDir);
    const influx = await influxDump();
    const found: string[] = [];
    for (const needle of needles) {
      // A short number (the 7-digit customer number) turns up by chance inside longer ones
      // (job timestamps, stream ids, readings): it counts only as a number of its own.
      const inText = /^\d+$/.test(needle)
        ? (text: string) => new RegExp(`(?<![\\d.])${needle}(?![\\d.])`).test(text)
        : (text: string) => text.includes(needle);
      if (inText(redis)) found.push(`redis: ${needle}`);
      if (inText(influx)) found.push(`influxdb: ${needle}`);
      for (const f of files)
        if (inText(f.bytes.toString('latin1')))
          found.push(`${f.path.slice(exportDir().length)}: ${needle}`);
    }
    expect(found).toEqual([]);
    // The held request and the unused sign-in link went at once, with the rest.
    expect(await stack.redis.exists(`${names.heldRequests}:${heldId}`)).toBe(0);
    expect(await stack.redis.keys(`${names.signInLinks}:*`)).toHaveLength(0);
    expect(await api.links.consume(link)).toBeUndefined();
    // Their page session ended at once: gone from Redis, the cookie leads to the sign-in.
    expect(await stack.redis.keys(`${names.consoleSessions}:*`)).toHaveLength(0);
    expect((await page.get('/me', session.cookie)).headers.get('location')).toBe('/me/sign-in');
    expect(
      (await call('POST', `/v1/access-requests/${heldId}/approval`, { token: dpo, ...asDpo }))
        .status,
    ).toBe(404);
    // The scan is not blind: the other customer is all there.
    expect(redis).toContain(mpKept);
    expect(redis).toContain(kept.customerId);
    expect(influx).toContain(
      Object.values((await stack.registryContract(kept.contractId))?.pseudonyms ?? {})[0],
    );
    expect(files.some((f) => f.path.includes(keptExport) && f.bytes.includes(mpKept))).toBe(true);
    expect([404, 410]).toContain((await download(earlier)).status);
    expect((await download(keptExport)).status).toBe(200);

    // The customer system's records of them are tombstoned on the compacted topics.
    const snapshots = new KafkajsSnapshotReader(stack.kafka);
    const contracts = await snapshots.snapshot(stack.config.kafka.topics.contracts);
    expect(contracts.get(erased.contractId)).toBeNull();
    expect(contracts.get(kept.contractId)).not.toBeNull();
    const objections = await snapshots.snapshot(stack.config.kafka.topics.objections);
    expect(objections.get(erased.customerId)).toBeNull();
    // Their key record too (the marker that keeps pre-erasure contract events skipped is
    // under a keyed hash, not the customer number, and holds only the time).
    const keyRecords = await snapshots.snapshot(stack.config.kafka.topics.customerKeys);
    expect(keyRecords.get(erased.customerId)).toBeNull();
    expect(keyRecords.get(kept.customerId)).not.toBeNull();
    const markers = [...keyRecords].filter(([k]) => k.startsWith('erased:'));
    expect(markers).toHaveLength(1);
    expect(String(markers[0]?.[1])).not.toContain(erased.customerId);
    console.log(
      `[erasure] ${needles.length} identifiers searched in ${redis.length} bytes of Redis, ` +
        `${files.length} export files and ${influx.length} bytes of InfluxDB: none found; ` +
        `old download ${(await download(earlier)).status}`,
    );
  });

  it('drops a reading of the erased period that arrives later, and parks one of no period', async () => {
    // After the erasure above: a late value of the customer's period (Datahub's final ones
    // come days later, a dead letter may be replayed) finds no contract. Parked, it stayed
    // under the point's id for good: no contract event from before an erasure is applied.
    const late = quarterHourPush(mpErased, FROM + 10 * SIX_HOURS, 700);
    const before = quarterHourPush(mpErased, Date.UTC(2026, 9, 1), 300); // no contract then
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: mpErased, value: codec.encodeInterval(late) },
      { key: mpErased, value: codec.encodeInterval(before) },
    ]);
    await waitFor('both pushes committed', async () => (await stack.lag()) === 0);
    const parked = (await pipeline.registry.parking.peek(mpErased)).map((bytes) => {
      const m = codec.decode(bytes);
      return m.kind === 'interval' ? m.batch.intervals[0]?.startMs : undefined;
    });
    expect(parked).toEqual([before.intervals[0]?.startMs]);
    // The marker names the point by a keyed hash only.
    const markers = await stack.redis.keys(
      `${redisKeys(stack.config.registry.redisPrefix).erasedPeriods}:*`,
    );
    expect(markers.length).toBeGreaterThan(0);
    expect(markers.some((k) => k.includes(mpErased))).toBe(false);
  });

  it('sweeps expired exports off the disk and out of Redis', async () => {
    const requestId = await exportOf(kept.customerId);
    expect(await filesUnder(join(exportDir(), requestId))).toHaveLength(3);
    expect(await api.sweepExpiredExports()).toBe(0); // not expired yet: kept
    expect(await filesUnder(join(exportDir(), requestId))).toHaveLength(3);
    const removed = await api.sweepExpiredExports(
      Date.now() + keepMsOf(retentionRules(), 'exports') + 60_000,
    );
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await filesUnder(join(exportDir(), requestId))).toHaveLength(0);
    expect(await stack.redis.exists(`bull:${redisNames().exportQueue}:${requestId}`)).toBe(0);
    expect([404, 410]).toContain((await download(requestId)).status);
    console.log(
      `[erasure] expired-export sweep removed ${removed} export(s), files and job records`,
    );
  });

  it('cancels an export in flight before removing it', async () => {
    const names = redisNames();
    const connection = createQueueRedis(redisConnection(stack.config));
    const archive = new BullmqExportArchive({
      connection,
      queueName: names.exportQueue,
      directory: exportDir(),
      cancelPrefix: names.exportCancels,
    });
    const jobs = new ExportJobs(
      connection,
      names.exportQueue,
      keepMsOf(retentionRules(), 'exports'),
      exportDir(),
    );
    // A customer with many metering points whose series read slowly: the export runs long.
    const points = Array.from({ length: 40 }, (_, i) =>
      gsrnFromBody(`6430075${run}${String(i).padStart(4, '0')}`),
    );
    const many: StoredContract = {
      ...openContract(points[0] as string, `7${run}`, '2026-11-01'),
      meteringPointIds: points,
      startMs: FROM,
      endMs: null,
      pseudonyms: Object.fromEntries(points.map((mp, i) => [mp, i.toString(16).padStart(32, '0')])),
      area: '001xx',
    };
    let reads = 0;
    await api.worker.pause(true); // only the slow worker below takes the job
    const failures: string[] = [];
    const slow = createExportWorker(connection, names.exportQueue, {
      registry: { contractsOfCustomer: async () => [many] },
      readings: {
        seriesReadings: async () => {
          reads++;
          await new Promise((r) => setTimeout(r, 100)); // a slow InfluxDB
          return [];
        },
      },
      bucket: stack.config.influx.buckets.readings,
      policy: parsePrivacyPolicy(
        await readFile(
          new URL('../../services/api/policy/privacy-policy.json', import.meta.url),
          'utf8',
        ),
      ),
      auditRecords: async () => [],
      directory: exportDir(),
      cancelled: (id) => archive.cancelRequested(id),
    });
    slow.on('failed', (_job, error) => failures.push(error.message));
    try {
      const requestId = `inflight${run}`;
      await jobs.start({ requestId, customerId: many.customerId, requestedBy: 'test' });
      await waitFor('the export running', async () => reads > 2);
      expect(await archive.purgeCustomer(many.customerId)).toBe(1);
      expect(reads).toBeLessThan(many.meteringPointIds.length); // stopped, not finished
      await waitFor('the cancellation reported', () => failures.length > 0);
      expect(failures).toEqual(['cancelled: the customer is being erased']);
      expect(await jobs.status(requestId)).toBeUndefined();
      expect(await filesUnder(join(exportDir(), requestId))).toHaveLength(0);
      console.log(`[erasure] export in flight cancelled after ${reads} of 40 series, then removed`);
    } finally {
      await slow.close();
      await jobs.close();
      await archive.close();
      api.worker.resume();
      connection.disconnect();
    }
  });
});

import { EngineUnavailableError, type WrappedCustomerKey } from '@lukema/core';
import { contractMessages } from '@lukema/headend-sim';
import { createIngestService } from '@lukema/ingest';
import { createRegistry } from '@lukema/registry';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker } from '../support/child-worker.js';
import { engine, engineSession } from '../support/engine.js';
import { expectedOutcome, pseudonymsOf } from '../support/ground-truth.js';
import { startPipeline } from '../support/pipeline.js';
import { generatedWorld } from '../support/population.js';
import { storedPoints } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const _codec = new IntervalBatchCodec();
const FROM = Date.UTC(2026, 2, 1);

/** Produces a population's contracts and readings; returns what the store must then hold. */
async function seed(stack: TestStack, sites: number, days: number) {
  const { population, contracts, messages } = generatedWorld({
    sites,
    seed: 5,
    fromMs: FROM,
    days,
    moveShare: 0.2,
    vacancyShare: 0,
    badShare: 0.02,
    lateShare: 0.05,
  });
  await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages(contracts));
  return { population, contracts, messages };
}

/** Asserts the store holds exactly the expected points: nothing lost, nothing twice. */
async function expectExactlyStored(stack: TestStack, seeded: Awaited<ReturnType<typeof seed>>) {
  const raw = await stack.redis.hgetall(`${stack.config.registry.redisPrefix}:keys:customer`);
  const keys = new Map(
    Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as WrappedCustomerKey]),
  );
  const pseudonymOf = pseudonymsOf(seeded.contracts, (id) => keys.get(id), stack.keyring);
  const expected = expectedOutcome(seeded.messages, seeded.contracts);
  const want = new Set(
    expected.points.map(
      (p) =>
        `${pseudonymOf.get(`${p.contractId}|${p.meteringPointId}`)}|${p.direction}|${p.timeMs}`,
    ),
  );
  const got = (await storedPoints(stack)).map((p) => `${p.pseudonym}|${p.direction}|${p.timeMs}`);
  expect(got.length).toBe(new Set(got).size);
  expect(new Set(got)).toEqual(want);
  return got.length;
}

describe('a worker killed mid-batch', () => {
  let stack: TestStack;
  let killedAt = '';
  beforeAll(async () => {
    stack = await createTestStack('kill', {
      LUKEMA_INFLUX_BATCH_LINES: '500',
      LUKEMA_LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('loses and duplicates nothing after a restart, and logs no identifier', async () => {
    const registry = createRegistry(stack.config, stack.logger);
    await registry.start();
    const seeded = await seed(stack, 80, 10);
    const logs: string[] = [];
    try {
      await stack.contractsApplied();
      await stack.producer.send(stack.config.kafka.topics.readings, seeded.messages);
      const produced = await stack.lag();
      const first = spawnWorker(stack.env);
      // Killed at its first commit (so points are durable and written), then the lag read once
      // it is dead: a worker that finished before the kill would leave none, and fail the test.
      await waitFor('the first batch committed', async () => (await stack.lag()) < produced, {
        intervalMs: 10,
        timeoutMs: 60_000,
      });
      await first.kill('SIGKILL');
      logs.push(...first.output);
      const lagAtKill = await stack.lag();
      expect(lagAtKill).toBeGreaterThan(0); // it really died mid-run
      killedAt = `${produced - lagAtKill} of ${produced} batches committed`;

      const second = spawnWorker(stack.env);
      await waitFor(
        'all readings committed after the restart',
        async () => (await stack.lag()) === 0,
        { timeoutMs: 90_000 },
      );
      await second.kill('SIGTERM');
      logs.push(...second.output);
    } finally {
      await registry.stop();
    }
    const count = await expectExactlyStored(stack, seeded);
    console.log(
      `[kill] worker killed with readings in flight (${killedAt}); after restart ${count} points, exactly as produced`,
    );

    const log = logs.join('');
    expect(log.length).toBeGreaterThan(0);
    const identifiers = [
      ...seeded.population.map((s) => s.meteringPointId),
      ...seeded.contracts.map((c) => `"${c.customerId}"`),
    ];
    for (const id of identifiers) expect(log).not.toContain(id);
  });
});

describe('InfluxDB stopped and restarted mid-run', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('influx-down', { LUKEMA_INFLUX_BATCH_LINES: '500' });
  });
  afterAll(async () => {
    engine('influxdb', 'start');
    await stack.close();
  });

  it('pauses, retries and loses nothing', async () => {
    const seeded = await seed(stack, 80, 10);
    const pipeline = await startPipeline(stack);
    try {
      await stack.contractsApplied();
      await stack.producer.send(stack.config.kafka.topics.readings, seeded.messages);
      await waitFor('some points written', () => pipeline.ingest.worker.stats.pointsWritten > 0, {
        intervalMs: 20,
      });
      engine('influxdb', 'stop');
      await waitFor(
        'the worker to notice and back off',
        () => pipeline.ingest.worker.stats.retries > 0,
      );
      const lagWhileDown = await stack.lag();
      expect(lagWhileDown).toBeGreaterThan(0);
      engine('influxdb', 'start');
      // Restarted outside the test run's session: it outlives the run, as it was found.
      const sessions = engineSession('influxdb', stack.config.dataDir);
      expect(sessions.engine).not.toBe(sessions.test);
      await waitFor('all readings committed', async () => (await stack.lag()) === 0, {
        timeoutMs: 120_000,
      });
      console.log(
        `[influx-down] ${pipeline.ingest.worker.stats.retries} retries while InfluxDB was down`,
      );
    } finally {
      await pipeline.stop();
    }
    await expectExactlyStored(stack, seeded);
  });
});

describe('two workers in one consumer group', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('group', { LUKEMA_INFLUX_BATCH_LINES: '500' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('share the partitions and together store every reading exactly once', async () => {
    const seeded = await seed(stack, 60, 4);
    const first = await startPipeline(stack);
    const second = createIngestService(stack.config, stack.logger);
    void second.worker.start();
    try {
      await stack.contractsApplied();
      // Produce once both are members of the group with partitions assigned.
      const admin = stack.kafka.admin();
      await admin.connect();
      try {
        await waitFor('both workers in the group', async () => {
          const { groups } = await admin.describeGroups([stack.config.ingest.group]);
          const group = groups[0];
          return group?.state === 'Stable' && group.members.length === 2;
        });
      } finally {
        await admin.disconnect();
      }
      await stack.producer.send(stack.config.kafka.topics.readings, seeded.messages);
      await waitFor('all readings committed', async () => (await stack.lag()) === 0, {
        timeoutMs: 90_000,
      });
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const a = first.ingest.worker.stats.messages;
    const b = second.worker.stats.messages;
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    const count = await expectExactlyStored(stack, seeded);
    console.log(
      `[group] two workers consumed ${a} and ${b} pushes; ${count} points, exactly as produced`,
    );
  });
});

describe('a worker backing off through an outage longer than the session timeout', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // One batch and one write at a time: one backoff, not several interleaved ones whose
    // heartbeats would keep the member alive between them.
    stack = await createTestStack('long-outage', {
      LUKEMA_INFLUX_BATCH_LINES: '500',
      LUKEMA_INGEST_PARTITIONS_CONCURRENTLY: '1',
      LUKEMA_INFLUX_MAX_IN_FLIGHT: '1',
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  /** This worker's member id in its group, once the group is stable with one member. */
  async function soleMember(): Promise<string> {
    const admin = stack.kafka.admin();
    await admin.connect();
    try {
      let member = '';
      await waitFor('one stable member', async () => {
        const { groups } = await admin.describeGroups([stack.config.ingest.group]);
        const group = groups[0];
        member = group?.members[0]?.memberId ?? '';
        return group?.state === 'Stable' && group.members.length === 1;
      });
      return member;
    } finally {
      await admin.disconnect();
    }
  }

  it('keeps its place in the group (it heartbeats while it waits) and loses nothing', async () => {
    const seeded = await seed(stack, 20, 2);
    // InfluxDB refuses every write for 40 s: the backoff grows past the 10 s session timeout
    // (waits of 7.5-15 s once it reaches its cap).
    let downUntil = 0;
    const pipeline = await startPipeline(stack, {
      wrapWriter: (real) => ({
        writeChunk: async (bucket, chunk) => {
          if (Date.now() < downUntil) throw new EngineUnavailableError('influxdb');
          return real.writeChunk(bucket, chunk);
        },
      }),
    });
    try {
      await stack.contractsApplied();
      const before = await soleMember();
      downUntil = Date.now() + 40_000;
      await stack.producer.send(stack.config.kafka.topics.readings, seeded.messages);
      await waitFor('all readings committed', async () => (await stack.lag()) === 0, {
        timeoutMs: 120_000,
      });
      expect(Date.now()).toBeGreaterThanOrEqual(downUntil);
      // Dropped from the group, it would have rejoined under a new member id.
      expect(await soleMember()).toBe(before);
      console.log(
        `[long-outage] ${pipeline.ingest.worker.stats.retries} retries over 40 s; the same member throughout`,
      );
    } finally {
      await pipeline.stop();
    }
    await expectExactlyStored(stack, seeded);
  }, 180_000);
});

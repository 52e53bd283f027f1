import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import type { ChunkWriter } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker } from '../support/child-worker.js';
import { openContract, quarterHourPush } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { storedPoints } from '../support/store-queries.js';
import { groupState } from '../support/stream-checks.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const WINDOW = Date.UTC(2026, 0, 20);
const mp = simulatedGsrn(911);

/** The real writer, after `crashes` writes that fail with an error nobody foresaw. */
function crashingWriter(real: ChunkWriter, crashes: { left: number; seen: number }): ChunkWriter {
  return {
    async writeChunk(bucket, chunk) {
      if (crashes.left > 0) {
        crashes.left--;
        crashes.seen++;
        // Not a LukemaError: kafkajs sees no `retriable` and does not restart the consumer.
        throw new TypeError('injected: a bug in the write path');
      }
      return real.writeChunk(bucket, chunk);
    },
  };
}

describe('a crashed consumer', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('crash');
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([openContract(mp, '911001')]),
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is restarted with backoff: the group regains its member and the batch is stored', async () => {
    const crashes = { left: 2, seen: 0 };
    const pipeline = await startPipeline(stack, {
      wrapWriter: (real) => crashingWriter(real, crashes),
      // Each restart waits seconds, so the empty group is seen by a poll that itself takes a
      // connect and a describe: with 200 ms the group could come back between two polls on a
      // loaded machine, and the wait below would never see it empty.
      restart: { baseDelayMs: 3_000, maxDelayMs: 6_000 },
    });
    try {
      await stack.contractsApplied();
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: mp, value: codec.encode(quarterHourPush(mp, WINDOW, 100)) },
      ]);
      // While it is down the group has no member; it must come back by itself.
      const downAt = await waitFor('the first crash', () => crashes.seen >= 1 && Date.now());
      const down = await waitFor('the group empty after the crash', async () => {
        const g = await groupState(stack);
        return g.members === 0 && g;
      });
      await waitFor('the push committed', async () => (await stack.lag()) === 0);
      const back = await groupState(stack);
      expect(back).toEqual({ state: 'Stable', members: 1 });
      expect(crashes.seen).toBe(2);
      expect(pipeline.ingest.consumer.restarts).toBe(2);
      expect((await storedPoints(stack)).length).toBe(24);
      console.log(
        `[consumer-crash] 2 injected crashes: group went to ${down.state}/${down.members} members, ` +
          `restarted ${pipeline.ingest.consumer.restarts} times, back to ${back.state}/${back.members} ` +
          `and the push stored 24/24, ${Date.now() - downAt} ms after the first crash`,
      );
    } finally {
      await pipeline.stop();
    }
  });

  it('that keeps crashing makes the worker process exit non-zero', async () => {
    // A token InfluxDB refuses (401) is no poison message: the write fails for every batch,
    // the consumer crashes each time, and after its restarts the process must exit.
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: mp, value: codec.encode(quarterHourPush(mp, WINDOW + 86_400_000, 100)) },
    ]);
    const started = Date.now();
    const worker = spawnWorker({
      ...stack.env,
      LUKEMA_INGEST_GROUP: `${stack.id}.exit`,
      LUKEMA_INFLUX_TOKEN: 'not-a-valid-token',
      LUKEMA_CONSUMER_MAX_RESTARTS: '1',
      LUKEMA_LOG_LEVEL: 'info',
    });
    const code = await Promise.race([
      worker.exited,
      new Promise<'alive'>((r) => setTimeout(() => r('alive'), 90_000)),
    ]);
    if (code === 'alive') await worker.kill('SIGKILL');
    const log = worker.output.join('');
    expect(code, log.slice(-4000)).toBe(1);
    expect(log).toContain('consumer crashed: restarting');
    expect(log).toContain('consumer crashed too often in a row: giving up');
    expect(log).not.toContain('not-a-valid-token');
    console.log(
      `[consumer-crash] worker with a refused InfluxDB token: 1 restart, then exit code ${code} ` +
        `after ${Date.now() - started} ms`,
    );
  }, 150_000);

  it('in the registry process is restarted too, and a rectification it cannot carry out is never committed past', async () => {
    // The registry's consumer is the same adapter: a rectification it cannot carry out (InfluxDB
    // refuses its token) crashes it; it must come back instead of idling with no member, and
    // since the readings could not be moved, the event must stay uncommitted until the
    // registry gives up and exits non-zero for its supervisor.
    const rmp = simulatedGsrn(912);
    const contract = openContract(rmp, '912001', '2026-01-01');
    const group = `${stack.id}.registry-crash`;
    const registry = spawnWorker(
      {
        ...stack.env,
        LUKEMA_REGISTRY_GROUP: group,
        LUKEMA_REDIS_PREFIX: `t:${stack.id}:registry-crash`,
        LUKEMA_INFLUX_TOKEN: 'not-a-valid-token',
        LUKEMA_CONSUMER_MAX_RESTARTS: '2',
        LUKEMA_LOG_LEVEL: 'info',
      },
      'services/registry/src/main.ts',
    );
    try {
      await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages([contract]));
      await waitFor(
        'the contract applied',
        async () => (await stack.admin.lag(group, stack.config.kafka.topics.contracts)) === 0,
      );
      // A backdated end: the registry re-attaches the stored readings, reading InfluxDB first.
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([
          { ...contract, endDate: '2026-01-10', updatedAt: '2026-02-01T00:00:00Z' },
        ]),
      );
      const started = Date.now();
      const code = await Promise.race([
        registry.exited,
        new Promise<'alive'>((r) => setTimeout(() => r('alive'), 120_000)),
      ]);
      const log = registry.output.join('');
      expect(code, log.slice(-4000)).toBe(1);
      const restarts = log.split('consumer crashed: restarting').length - 1;
      expect(restarts).toBe(2);
      expect(log).toContain('consumer crashed too often in a row: giving up');
      // The readings were not moved, so the event is still there for the next registry.
      expect(await stack.admin.lag(group, stack.config.kafka.topics.contracts)).toBe(1);
      console.log(
        `[consumer-crash] registry with a refused InfluxDB token: crashed on the rectification, ` +
          `restarted ${restarts} times, exited ${code} after ${Date.now() - started} ms, ` +
          'the rectification left uncommitted',
      );
    } finally {
      await registry.kill('SIGKILL');
    }
  }, 180_000);
});

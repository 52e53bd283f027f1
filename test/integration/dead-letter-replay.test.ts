import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { IoredisParkingStore, releaseParked } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContract, preliminaryPush } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { replayOn } from '../support/replay.js';
import { readAll, topicCount } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const WINDOW = Date.UTC(2026, 3, 1);
const codec = new IntervalBatchCodec();
const assigned = simulatedGsrn(301);
const unassigned = simulatedGsrn(302);
const wrongDigit = `${assigned.slice(0, 17)}${(Number(assigned[17]) + 1) % 10}`;

const push = (meteringPointId: string, messageId: string, hour: number) =>
  codec.encode(preliminaryPush(meteringPointId, messageId, WINDOW, hour, 24));

/** A test stack with one contract, and helpers over its topics. */
function stackWithContract(name: string) {
  const ctx = {} as {
    stack: TestStack;
    dlq: () => Promise<number>;
    readings: () => Promise<number>;
    settled: () => Promise<boolean>;
  };
  beforeAll(async () => {
    const stack = await createTestStack(name);
    ctx.stack = stack;
    ctx.dlq = () => topicCount(stack, stack.config.kafka.topics.deadLetter);
    ctx.readings = () => topicCount(stack, stack.config.kafka.topics.readings);
    ctx.settled = () =>
      waitFor('readings committed', async () => (await stack.lag()) === 0, { timeoutMs: 90_000 });
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([openContract(assigned, '301301', '2026-01-01')]),
    );
  });
  afterAll(async () => {
    await ctx.stack?.close();
  });
  return ctx;
}

describe('dead-letter replay by reason', () => {
  const ctx = stackWithContract('dlq-replay');
  it('replays by reason without consuming the others, ends where it started, says what it did', async () => {
    const pipeline = await startPipeline(ctx.stack);
    try {
      await ctx.stack.contractsApplied();
      // One key, one partition: the reasons interleave.
      await ctx.stack.producer.send(ctx.stack.config.kafka.topics.readings, [
        { key: assigned, value: Buffer.from('{"not":"avro","n":1}') },
        { key: assigned, value: push(wrongDigit, 'bad-1', 0) },
        { key: assigned, value: Buffer.from('{"not":"avro","n":2}') },
        { key: assigned, value: push(wrongDigit, 'bad-2', 6) },
      ]);
      await ctx.settled();
      expect(await ctx.dlq()).toBe(4);

      const byDigit = await replayOn(ctx.stack, 'check digit');
      console.log('replay --reason "check digit":', JSON.stringify(byDigit));
      expect(byDigit).toMatchObject({ replayed: 2, alreadyReplayed: 0, skipped: 2 });
      // The replayed two fail again (nothing was fixed) and come back as new dead letters.
      await waitFor(
        'the replayed letters dead-lettered again',
        async () => (await ctx.dlq()) === 6,
      );
      await ctx.settled();

      // The letters skipped above were not consumed: a replay of their reason finds them.
      const byMarker = await replayOn(ctx.stack, 'C3 01 marker');
      console.log('replay --reason "C3 01 marker":', JSON.stringify(byMarker));
      expect(byMarker).toMatchObject({ replayed: 2, alreadyReplayed: 2, skipped: 2 });
      await waitFor('those dead-lettered again', async () => (await ctx.dlq()) === 8);
      await ctx.settled();

      // Nothing matches: it ends at once (at the end offsets it saw on start) and says so.
      const none = await replayOn(ctx.stack, 'no such reason');
      console.log('replay --reason "no such reason":', JSON.stringify(none));
      expect(none).toMatchObject({ replayed: 0, alreadyReplayed: 0, skipped: 4 });
      expect(await ctx.readings()).toBe(8);

      // Everything left: the four letters the replays themselves produced, each once.
      const rest = await replayOn(ctx.stack);
      console.log('replay (all reasons):', JSON.stringify(rest));
      expect(rest).toMatchObject({ replayed: 4, alreadyReplayed: 0, skipped: 0 });
      expect(await ctx.readings()).toBe(12);
      await waitFor('the last four dead-lettered again', async () => (await ctx.dlq()) === 12);
      await ctx.settled();
    } finally {
      await pipeline.stop();
    }
  });
});

describe('re-reads and duplicate dead letters', () => {
  const ctx = stackWithContract('dlq-reread');
  it('a batch read again (as after a crash before the commit) writes its dead letters and parks its readings once; a source dead-lettered twice is replayed once', async () => {
    const dead0 = await ctx.dlq();
    const readings0 = await ctx.readings();
    const parking = new IoredisParkingStore(
      ctx.stack.redis,
      `${ctx.stack.config.registry.redisPrefix}:parked`,
    );
    const parked0 = (await parking.summary()).messages;
    const fresh = [
      { key: unassigned, value: push(unassigned, 'vacant-1', 0) },
      { key: unassigned, value: push(unassigned, 'vacant-2', 6) },
      { key: unassigned, value: Buffer.from('{"not":"avro","n":3}') },
      { key: unassigned, value: push(wrongDigit, 'bad-3', 12) },
    ];
    let pipeline = await startPipeline(ctx.stack);
    try {
      await ctx.stack.producer.send(ctx.stack.config.kafka.topics.readings, fresh);
      await ctx.settled();
    } finally {
      await pipeline.stop();
    }
    expect(await ctx.dlq()).toBe(dead0 + 2);
    expect((await parking.summary()).messages).toBe(parked0 + 2);

    // Every offset is read again, as a worker that crashed before its commit would.
    await ctx.stack.admin.resetToEarliest(
      ctx.stack.config.ingest.group,
      ctx.stack.config.kafka.topics.readings,
    );
    pipeline = await startPipeline(ctx.stack);
    try {
      await ctx.settled();
    } finally {
      await pipeline.stop();
    }
    const dead = await ctx.dlq();
    const parked = (await parking.summary()).messages;
    console.log(
      `after the re-read of ${await ctx.readings()} messages: dead letters ${dead0} -> ${dead} (sources ${dead0 + 2} expected), parked ${parked0} -> ${parked}`,
    );
    expect(dead).toBe(dead0 + 2);
    expect(parked).toBe(parked0 + 2);

    // The one window left (broker ack, then crash before the ledger write) can still leave a
    // second copy: the replay recognises it by its source and re-queues the message once.
    const letters = await readAll(ctx.stack, ctx.stack.config.kafka.topics.deadLetter, dead);
    const copied = letters.find((m) => m.value?.includes('bad-3'));
    expect(copied).toBeDefined();
    await ctx.stack.producer.send(ctx.stack.config.kafka.topics.deadLetter, [
      { key: copied?.key ?? null, value: copied?.value ?? null, headers: copied?.headers ?? {} },
    ]);
    const report = await replayOn(ctx.stack);
    console.log('replay of the two new letters and the copy:', JSON.stringify(report));
    expect(report).toMatchObject({ replayed: 2, alreadyReplayed: 1, skipped: 0 });
    expect(await ctx.readings()).toBe(readings0 + fresh.length + 2);
  });
  it('a point released by two releasers at once re-queues each parked message once', async () => {
    const parking = new IoredisParkingStore(
      ctx.stack.redis,
      `${ctx.stack.config.registry.redisPrefix}:parked`,
    );
    const mp = simulatedGsrn(303);
    await parking.park(
      [0, 6, 12].map((hour) => ({
        meteringPointId: mp,
        message: push(mp, `twice-${hour}`, hour),
        source: `elsewhere/0/${hour}`,
      })),
    );
    const before = await ctx.readings();
    const topic = ctx.stack.config.kafka.topics.readings;
    // The registry (a contract stored) and a worker (after parking) release the same point.
    const counts = await Promise.all([
      releaseParked(parking, ctx.stack.producer, topic, mp),
      releaseParked(parking, ctx.stack.producer, topic, mp),
    ]);
    const requeued = (await ctx.readings()) - before;
    console.log(`two releases at once re-queued ${counts.join(' + ')} = ${requeued} of 3 parked`);
    expect(requeued).toBe(3);
    expect(await parking.peek(mp)).toEqual([]);
  });
});

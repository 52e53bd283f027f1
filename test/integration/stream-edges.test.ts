import { randomBytes } from 'node:crypto';
import { type IntervalBatch, UNREPRESENTABLE_REASON } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { EMPTY_PUSH_REASON, sentInFutureReason } from '@lukema/ingest';
import { type ChunkWriter, type OutgoingMessage, ProduceRejectedError } from '@lukema/platform';
import { IntervalBatchCodec, MeterMessageCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContract, quarterHourPush } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { topicCount } from '../support/store-queries.js';
import { deadLetters, groupState, largestGap, storedTimes } from '../support/stream-checks.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const DAY = 86_400_000;
const Q = 900_000;
const WINDOW = Date.UTC(2026, 0, 15);
const mp = simulatedGsrn(901);
const noisy = simulatedGsrn(902);
const reg = simulatedGsrn(903);
const unassigned = simulatedGsrn(904);
const registers = new MeterMessageCodec();

/** A register push of `reg`: `[atMs, registerWh]` reads, a 1e12 Wh register. */
const registerPush = (id: string, sentAtMs: number, reads: Array<[number, number]>) =>
  registers.encodeRegister({
    messageId: id,
    headEndId: 'he',
    meteringPointId: reg,
    direction: 'consumption',
    resolution: 'PT15M',
    sentAtMs,
    rolloverWh: 1e12,
    reads: reads.map(([atMs, registerWh]) => ({ atMs, registerWh, flags: [] })),
  });

/** Two lines a buggy mapper could produce: InfluxDB answers 400 for either. */
const OUT_OF_RANGE_AT = WINDOW + 3 * DAY + 5 * Q;
const UNPARSABLE_AT = WINDOW + 4 * DAY + 7 * Q;

/**
 * The real InfluxDB writer behind a fault: two readings' lines are spoiled on their way out
 * (one with a timestamp InfluxDB cannot store, one with a field it cannot parse), so the
 * write path meets real 400s. Counts the write requests.
 */
function spoilingWriter(real: ChunkWriter, requests: { n: number }): ChunkWriter {
  return {
    writeChunk(bucket, chunk) {
      requests.n++;
      const text = chunk.body
        .toString('utf8')
        .replace(` ${OUT_OF_RANGE_AT}\n`, ' 9000000000000000\n')
        .replace(new RegExp(`kwh=([^ ]* ${UNPARSABLE_AT}\\n)`), 'kwh=x$1');
      return real.writeChunk(bucket, { body: Buffer.from(text), count: chunk.count });
    },
  };
}

const pushAt = (startMs: number, intervals: IntervalBatch['intervals']): IntervalBatch => ({
  ...quarterHourPush(mp, startMs, 100),
  messageId: `edge-${startMs}-${intervals.length}`,
  intervals,
});

describe('nothing stops the stream', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  const requests = { n: 0 };
  beforeAll(async () => {
    stack = await createTestStack('edges');
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([openContract(mp, '901001'), openContract(reg, '901003')]),
    );
    pipeline = await startPipeline(stack, {
      wrapWriter: (real) => spoilingWriter(real, requests),
    });
    await stack.contractsApplied();
  });
  afterAll(async () => {
    await pipeline?.stop();
    await stack?.close();
  });

  it('dead-letters far-future, unrepresentable and empty pushes and lines InfluxDB refuses; stores the rest', async () => {
    const now = Date.now();
    const valid = (startMs: number) => quarterHourPush(mp, startMs, 100);
    const oneAt = (startMs: number) => pushAt(startMs, [{ startMs, quantityWh: 5, flags: [] }]);
    const future = valid(WINDOW + DAY);
    const farAhead = now - (now % Q) + 400 * DAY;
    const pushes: Array<{ name: string; batch: IntervalBatch }> = [
      { name: 'valid', batch: valid(WINDOW) },
      { name: '2262', batch: oneAt(Date.UTC(2262, 3, 12)) },
      { name: '+9e15 ms', batch: oneAt(9e15) },
      { name: '-9e15 ms', batch: oneAt(-9e15) },
      {
        name: '23 valid + 1 reading 400 days ahead',
        batch: pushAt(WINDOW + DAY, [
          ...future.intervals.slice(0, 23),
          { startMs: farAhead, quantityWh: 7, flags: [] },
        ]),
      },
      { name: 'zero intervals', batch: pushAt(WINDOW + 2 * DAY, []) },
      { name: 'valid after them', batch: valid(WINDOW + 2 * DAY) },
      { name: 'one line out of range at InfluxDB', batch: valid(WINDOW + 3 * DAY) },
      { name: 'one unparsable line at InfluxDB', batch: valid(WINDOW + 4 * DAY) },
    ];
    // One key: one partition, in this order. Every bad push sits before a good one.
    await stack.producer.send(
      stack.config.kafka.topics.readings,
      pushes.map((p) => ({ key: mp, value: codec.encode(p.batch) })),
    );
    await waitFor('every push committed', async () => (await stack.lag()) === 0);

    const times = await storedTimes(stack);
    const expected = [
      ...valid(WINDOW).intervals,
      ...future.intervals.slice(0, 23),
      ...valid(WINDOW + 2 * DAY).intervals,
      ...valid(WINDOW + 3 * DAY).intervals.filter((i) => i.startMs !== OUT_OF_RANGE_AT),
      ...valid(WINDOW + 4 * DAY).intervals.filter((i) => i.startMs !== UNPARSABLE_AT),
    ].map((i) => i.startMs);
    expect(times.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));

    const dead = await deadLetters(stack, 7);
    expect(await topicCount(stack, stack.config.kafka.topics.deadLetter)).toBe(7);
    const byOffset = new Map(dead.map((d) => [Number(d.offset), d]));
    expect(byOffset.size).toBe(7); // one dead letter per bad push, none twice
    expect(byOffset.get(1)?.reason).toBe(UNREPRESENTABLE_REASON);
    expect(byOffset.get(2)?.reason).toBe(UNREPRESENTABLE_REASON);
    expect(byOffset.get(2)?.intervals).toBe('9000000000000000 ms');
    expect(byOffset.get(3)?.reason).toBe(UNREPRESENTABLE_REASON);
    expect(byOffset.get(4)?.reason).toBe(
      'beyond the future horizon: starts more than 24 h after the receiving clock',
    );
    expect(byOffset.get(4)?.intervals).toBe(new Date(farAhead).toISOString());
    expect(byOffset.get(5)?.reason).toBe(EMPTY_PUSH_REASON);
    expect(byOffset.get(7)?.reason).toMatch(
      /^InfluxDB refused the reading as a bad request: unable to parse the line: time outside range/,
    );
    expect(byOffset.get(7)?.intervals).toBe(new Date(OUT_OF_RANGE_AT).toISOString());
    expect(byOffset.get(8)?.reason).toMatch(/^InfluxDB refused the reading as a bad request/);
    expect(byOffset.get(8)?.intervals).toBe(new Date(UNPARSABLE_AT).toISOString());
    // The pseudonymized line InfluxDB quotes stays out of the reason.
    expect(dead.every((d) => !/pseudonym|energy,/.test(d.reason))).toBe(true);

    // A reading 400 days ahead opens no gap up to its date.
    const gap = await largestGap(stack);
    expect(gap).toBe(0);
    expect(await groupState(stack)).toEqual({ state: 'Stable', members: 1 });
    console.log(
      `[stream-edges] ${pushes.length} pushes: ${times.length} readings stored, ${dead.length} dead-lettered ` +
        `(${[...byOffset].map(([o, d]) => `${o}: ${d.errorType}`).join(', ')}); ` +
        `largest data_gaps row ${gap} intervals; ${requests.n} write requests (2 bad lines bisected)`,
    );
  });

  it('keeps a far-future register read out of the register state: the next push still bridges', async () => {
    const t = WINDOW + 10 * DAY;
    const now = Date.now();
    const farAhead = now - (now % Q) + 400 * DAY;
    const push = (id: string, reads: Array<[number, number]>) => registerPush(id, t + DAY, reads);
    const deadBefore = await topicCount(stack, stack.config.kafka.topics.deadLetter);
    await stack.producer.send(stack.config.kafka.topics.readings, [
      // Five reads and one dated 400 days ahead; then the next four reads.
      {
        key: reg,
        value: push('r1', [
          ...[0, 1, 2, 3, 4].map((k): [number, number] => [t + k * Q, 1000 + 10 * k]),
          [farAhead, 9_999_999],
        ]),
      },
      {
        key: reg,
        value: push(
          'r2',
          [5, 6, 7, 8].map((k) => [t + k * Q, 1000 + 10 * k]),
        ),
      },
    ]);
    await waitFor('both register pushes committed', async () => (await stack.lag()) === 0);
    const times = (await storedTimes(stack)).filter((ms) => ms >= t && ms < t + DAY);
    // 4 deltas from the first push, the bridging one at t+4Q, and 3 from the second.
    expect(times.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => t + k * Q));
    expect(await topicCount(stack, stack.config.kafka.topics.deadLetter)).toBe(deadBefore + 1);
    console.log(
      `[stream-edges] register reads with one 400 days ahead: ${times.length}/8 deltas stored (bridging kept), 1 dead letter`,
    );
  });

  it('bridges register pushes that arrive in reverse order: no interval lost to the order', async () => {
    const t = WINDOW + 11 * DAY;
    const push = (id: string, steps: number[]) =>
      registerPush(
        id,
        t + DAY,
        steps.map((k) => [t + k * Q, 1000 + 10 * k * k]),
      );
    // The later push first (a head-end's backlog sent newest first, or the earlier one
    // replayed from the dead letters), each committed before the next is read: the kept
    // reads in Redis bridge them.
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: reg, value: push('late-2', [5, 6, 7, 8]) },
    ]);
    await waitFor('the later push committed', async () => (await stack.lag()) === 0);
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: reg, value: push('late-1', [0, 1, 2, 3, 4]) },
    ]);
    await waitFor('the earlier push committed', async () => (await stack.lag()) === 0);
    const times = (await storedTimes(stack)).filter((ms) => ms >= t && ms < t + DAY);
    // 4 deltas from the earlier push, the one between the pushes at t+4Q, 3 from the later.
    expect(times.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => t + k * Q));
    console.log(`[stream-edges] register pushes in reverse order: ${times.length}/8 deltas stored`);
  });

  it('parks a push without its far-future reading: released, it is not dead-lettered twice', async () => {
    const now = Date.now();
    const t = WINDOW + 20 * DAY;
    const sent = quarterHourPush(unassigned, t, 100);
    const farAhead = now - (now % Q) + 400 * DAY;
    const push = {
      ...sent,
      intervals: [...sent.intervals.slice(0, 23), { startMs: farAhead, quantityWh: 1, flags: [] }],
    };
    const deadBefore = await topicCount(stack, stack.config.kafka.topics.deadLetter);
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: unassigned, value: codec.encode(push) },
    ]);
    await waitFor('the push parked', async () => (await stack.lag()) === 0);
    // Its contract arrives: the registry re-queues the parked push, which is stored now.
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([openContract(unassigned, '901004')]),
    );
    await stack.contractsApplied();
    const stored = await waitFor('the released readings stored', async () => {
      const times = (await storedTimes(stack)).filter((ms) => ms >= t && ms < t + DAY);
      return times.length === 23 && times;
    });
    await waitFor('the re-queued push committed', async () => (await stack.lag()) === 0);
    expect(await topicCount(stack, stack.config.kafka.topics.deadLetter)).toBe(deadBefore + 1);
    console.log(
      `[stream-edges] unassigned push with a reading 400 days ahead: parked, released, ${stored.length} stored, 1 dead letter in all`,
    );
  });

  it('dead-letters a year-long push a year ahead in one record the broker takes, and goes on', async () => {
    // 35,040 quarter-hours, every one past the horizon: listed one by one (25 bytes each),
    // the dead letter's header alone was ~0.9 MB, the record over the broker's 1 MB, and the
    // refused produce crashed the consumer on every read of the batch.
    const start = Date.now() - (Date.now() % DAY) + 400 * DAY;
    const intervals = Array.from({ length: 35_040 }, (_, i) => ({
      startMs: start + i * Q,
      quantityWh: 100 + (i % 7),
      flags: [],
    }));
    const before = await topicCount(stack, stack.config.kafka.topics.deadLetter);
    const after = quarterHourPush(mp, WINDOW + 20 * DAY, 100);
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: mp, value: codec.encode(pushAt(start, intervals)) },
      { key: mp, value: codec.encode(after) },
    ]);
    await waitFor('both pushes committed', async () => (await stack.lag()) === 0, {
      timeoutMs: 60_000,
    });
    expect(await topicCount(stack, stack.config.kafka.topics.deadLetter)).toBe(before + 1);
    const dead = (await deadLetters(stack, before + 1)).find((d) =>
      d.intervals?.startsWith(`${new Date(start).toISOString()}..`),
    );
    expect(dead?.reason).toBe(
      'beyond the future horizon: starts more than 24 h after the receiving clock',
    );
    // The intervals as one run: first..last, the step and the count.
    expect(dead?.intervals).toBe(
      `${new Date(start).toISOString()}..${new Date(start + 35_039 * Q).toISOString()} every 15 min (35040)`,
    );
    const times = new Set(await storedTimes(stack));
    expect(after.intervals.every((i) => times.has(i.startMs))).toBe(true);
    expect(await groupState(stack)).toEqual({ state: 'Stable', members: 1 });
  });

  it('dead-letters a message too large to copy as its reason and where it stays, and goes on', async () => {
    // Random bytes on an unknown schema, just under the broker's 1 MB: the readings topic
    // takes it, but not with the dead letter's headers added, even gzipped.
    const value = Buffer.concat([Buffer.from([0xc3, 0x01]), randomBytes(1_048_000)]);
    const before = await topicCount(stack, stack.config.kafka.topics.deadLetter);
    const after = quarterHourPush(mp, WINDOW + 30 * DAY, 100);
    await stack.producer.send(stack.config.kafka.topics.readings, [{ key: mp, value }]);
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: mp, value: codec.encode(after) },
    ]);
    await waitFor('both committed', async () => (await stack.lag()) === 0, { timeoutMs: 60_000 });
    expect(await topicCount(stack, stack.config.kafka.topics.deadLetter)).toBe(before + 1);
    const dead = (await deadLetters(stack, before + 1)).find((d) => /larger than/.test(d.reason));
    expect(dead?.value).toBeNull();
    expect(dead?.reason).toMatch(
      /\(the message, 1048\d\d\d bytes, is larger than the dead-letter topic takes: it stays on .*readings partition \d+ offset \d+ for that topic's retention\)$/,
    );
    const times = new Set(await storedTimes(stack));
    expect(after.intervals.every((i) => times.has(i.startMs))).toBe(true);
    expect(await groupState(stack)).toEqual({ state: 'Stable', members: 1 });
  });

  it('gives a produce request the broker refuses for good up at once, as not retriable', async () => {
    // Over the broker's message.max.bytes (1 MiB by default): no retry can help.
    const started = Date.now();
    const error = await stack.producer
      .send(stack.config.kafka.topics.deadLetter, [{ key: 'big', value: Buffer.alloc(2 << 20) }])
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ProduceRejectedError);
    expect((error as ProduceRejectedError).retriable).toBe(false);
    expect(elapsed).toBeLessThan(10_000);
    const cause = (error as { cause?: { type?: string } }).cause;
    console.log(
      `[stream-edges] a 2 MiB record: ${(error as Error).name} (retriable=false, cause ${cause?.type ?? String(cause)}) after ${elapsed} ms`,
    );
  });

  it('dead-letters a push sent a year ahead by its clock: a later correction of its window is stored', async () => {
    // Its sentAt is the window's revision: kept, it stood as the newest for 40 days and
    // every correction of the window after it was left out, without a trace.
    const t = WINDOW + 50 * DAY;
    const wrong = { ...quarterHourPush(mp, t, 100), sentAtMs: Date.now() + 365 * DAY };
    const correction = { ...quarterHourPush(mp, t, 300), sentAtMs: Date.now() };
    const before = await topicCount(stack, stack.config.kafka.topics.deadLetter);
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: mp, value: codec.encode(wrong) },
      { key: mp, value: codec.encode(correction) },
    ]);
    await waitFor('both committed', async () => (await stack.lag()) === 0);
    expect(await topicCount(stack, stack.config.kafka.topics.deadLetter)).toBe(before + 1);
    const dead = (await deadLetters(stack, before + 1)).find((d) =>
      /sent in the future/.test(d.reason),
    );
    expect(dead?.reason).toBe(sentInFutureReason(24 * 3_600_000));
    const stored = await stack.influx.rows<{ _value: number }>(
      `${stack.from()} |> filter(fn: (r) => r._field == "kwh" and r._time == ${new Date(t).toISOString()})`,
    );
    expect(stored.map((r) => r._value)).toEqual([
      (correction.intervals[0]?.quantityWh ?? 0) / 1000,
    ]);
  });

  it('takes a register push of 150,000 reads without crashing the consumer', async () => {
    // Last here: its deltas span 2025-2026, where the other tests look for their own.
    // Math.min(...reads) threw "Maximum call stack size exceeded" past ~100,000 arguments,
    // outside the per-message guard: the consumer crashed on every read of the batch.
    const first = Date.UTC(2022, 6, 1);
    const value = registers.encodeRegister({
      messageId: 'huge-register',
      headEndId: 'he',
      meteringPointId: reg,
      direction: 'consumption',
      resolution: 'PT15M',
      sentAtMs: Date.UTC(2026, 10, 1),
      rolloverWh: 1e12,
      reads: Array.from({ length: 150_000 }, (_, k) => ({
        atMs: first + k * Q,
        registerWh: 5_000_000 + 10 * k,
        flags: [],
      })),
    });
    const after = quarterHourPush(mp, WINDOW + 40 * DAY, 100);
    // ~2.4 MB: the head-end gzips it, as Kafka clients may.
    expect(value.length).toBeGreaterThan(1 << 20);
    await stack.producer.send(stack.config.kafka.topics.readings, [{ key: reg, value }], {
      compress: true,
    });
    await stack.producer.send(stack.config.kafka.topics.readings, [
      { key: mp, value: codec.encode(after) },
    ]);
    await waitFor('both committed', async () => (await stack.lag()) === 0, { timeoutMs: 90_000 });
    const times = new Set(await storedTimes(stack));
    expect(after.intervals.every((i) => times.has(i.startMs))).toBe(true);
    // The deltas under the contract (from 2025-01-01) are stored.
    expect(times.has(Date.UTC(2025, 5, 1))).toBe(true);
    expect(await groupState(stack)).toEqual({ state: 'Stable', members: 1 });
  }, 120_000);
});

// Its own stack and worker: nothing else on the partition can be what blocks it.
describe('a fetch of mostly rejected messages', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  beforeAll(async () => {
    stack = await createTestStack('dlq-volume');
    pipeline = await startPipeline(stack);
  });
  afterAll(async () => {
    await pipeline?.stop();
    await stack?.close();
  });

  it('sets a fetch of thousands of rejected messages aside in requests the broker accepts', async () => {
    // A head-end on a schema Lukema does not know: every push is rejected.
    const unknown = Buffer.from([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8]);
    const count = 6000;
    const messages: OutgoingMessage[] = Array.from({ length: count }, (_, i) => ({
      key: noisy,
      value: Buffer.concat([unknown, Buffer.alloc(150, i % 256)]),
    }));
    // Sent in small requests, so the test's own producer is not what is tested.
    for (let i = 0; i < count; i += 1000) {
      await stack.producer.send(stack.config.kafka.topics.readings, messages.slice(i, i + 1000));
    }
    const started = Date.now();
    await waitFor('the rejected fetch committed', async () => (await stack.lag()) === 0);
    const deadNow = await topicCount(stack, stack.config.kafka.topics.deadLetter);
    expect(deadNow).toBe(count);
    expect(pipeline.ingest.worker.stats.deadLettered).toBe(count);
    expect(await groupState(stack)).toEqual({ state: 'Stable', members: 1 });
    console.log(
      `[stream-edges] ${count} unknown-schema pushes on one partition (a 1 MiB fetch makes > 2 MiB of dead letters): ` +
        `all dead-lettered once in ${Date.now() - started} ms, group stable`,
    );
  });
});

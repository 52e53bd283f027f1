import { gsrnProblem, type IntervalBatch } from '@lukema/core';
import { contractMessages, seededRandom, simulatedGsrn } from '@lukema/headend-sim';
import { RETENTION_MARGIN_MS } from '@lukema/ingest';
import { keepMsOf, type OutgoingMessage, retentionRules } from '@lukema/platform';
import { MeterMessageCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContract, quarterHourPush } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { storedPoints, topicCount } from '../support/store-queries.js';
import { deadLetters, groupState } from '../support/stream-checks.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new MeterMessageCodec();
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const DAY = 86_400_000;
const Q = 900_000;
const SIX_H = 6 * 3_600_000;
const START = Date.UTC(2026, 5, 1);

/** Metering points with a contract (valid, mutated and absurd pushes) and one without. */
const valid = Array.from({ length: 12 }, (_, i) => simulatedGsrn(950 + i));
const mutated = Array.from({ length: 8 }, (_, i) => simulatedGsrn(970 + i));
const absurd = Array.from({ length: 4 }, (_, i) => simulatedGsrn(980 + i));
const unassigned = Array.from({ length: 3 }, (_, i) => simulatedGsrn(990 + i));

interface Fuzzed {
  readonly kind: string;
  readonly value: Buffer;
}

/** Valid pushes, random bytes, truncations, bit flips and absurd values, shuffled. */
function fuzzedMessages(nowMs: number): Fuzzed[] {
  const rnd = seededRandom(SEED);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const out: Fuzzed[] = [];
  const add = (kind: string, value: Buffer) => out.push({ kind, value });
  const push = (mp: string, startMs: number, over: Partial<IntervalBatch> = {}) =>
    codec.encodeInterval({
      ...quarterHourPush(mp, startMs, 50 + Math.floor(rnd() * 500)),
      messageId: `fz-${out.length}`,
      ...over,
    });
  valid.forEach((mp) => {
    for (let w = 0; w < 8; w++) add('valid', push(mp, START + w * SIX_H));
  });
  unassigned.forEach((mp) => {
    for (let w = 0; w < 3; w++) add('no contract yet', push(mp, START + w * SIX_H));
  });
  for (let i = 0; i < 60; i++) {
    add(
      'random bytes',
      Buffer.from(
        Array.from({ length: Math.floor(rnd() * 300) + 1 }, () => Math.floor(rnd() * 256)),
      ),
    );
  }
  const bases = mutated.flatMap((mp) => [0, 1, 2].map((w) => push(mp, START + w * SIX_H)));
  for (let i = 0; i < 60; i++) {
    const base = pick(bases);
    add('truncated', base.subarray(0, Math.floor(rnd() * (base.length - 1))));
  }
  for (let i = 0; i < 150; i++) {
    const copy = Buffer.from(pick(bases));
    const bit = Math.floor(rnd() * copy.length * 8);
    copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
    add('bit-flipped', copy);
  }
  // A count that one flipped bit can make: avsc would read 2^27 items past the end.
  const base = push(mutated[0] as string, START);
  const empty = push(mutated[0] as string, START, { intervals: [] });
  let at = 0;
  while (base[at] === empty[at]) at++;
  for (const count of [2 ** 24, 2 ** 27, 2 ** 31 - 1, 2 ** 40]) {
    const varint = zigzagVarint(count);
    add('absurd array count', Buffer.concat([base.subarray(0, at), varint, base.subarray(at + 1)]));
  }
  for (let i = 0; i < 20; i++) {
    const fingerprint = Buffer.from(Array.from({ length: 8 }, () => Math.floor(rnd() * 256)));
    add(
      'unknown fingerprint',
      Buffer.concat([
        Buffer.from([0xc3, 0x01]),
        fingerprint,
        push(valid[0] as string, START).subarray(10),
      ]),
    );
  }
  const farAhead = nowMs - (nowMs % Q) + 400 * DAY;
  const starts = [Date.UTC(2262, 3, 12), 9e15, -9e15, farAhead, nowMs - (nowMs % Q) + 2 * DAY];
  absurd.forEach((mp, m) => {
    const at = (w: number) => START + (m * 10 + w) * SIX_H;
    for (const [k, startMs] of starts.entries()) {
      add('absurd start', push(mp, at(k), { intervals: [{ startMs, quantityWh: 1, flags: [] }] }));
      // 12 readings as sent, 12 moved to the absurd start (one quarter apart).
      const half = quarterHourPush(mp, at(k + 5), 10).intervals.map((i, n) =>
        n < 12 ? i : { ...i, startMs: startMs + (n - 12) * Q },
      );
      add('half absurd start', push(mp, at(k + 5), { intervals: half }));
    }
    add(
      'absurd values',
      push(mp, at(10), {
        sentAtMs: 9e15,
        intervals: quarterHourPush(mp, at(10), 0).intervals.map((i, k) => ({
          ...i,
          quantityWh: k % 2 ? 9e15 : -9e15,
        })),
      }),
    );
    add('ancient', push(mp, Date.UTC(2001, 0, 1)));
    add('zero intervals', push(mp, at(11), { intervals: [] }));
  });
  // Shuffled: bad messages sit between good ones on every partition.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as Fuzzed, out[i] as Fuzzed];
  }
  return out;
}

/** InfluxDB keeps int64 nanoseconds (its reply: "time outside range -9223372036854775806 - 9223372036854775806"). */
const storable = (ms: number) =>
  Number.isSafeInteger(ms) && BigInt(Math.abs(ms)) * 1_000_000n <= 9_223_372_036_854_775_806n;

/** Avro's encoding of a long: zig-zag, then base-128 varint. */
function zigzagVarint(n: number): Buffer {
  let z = BigInt(n) * 2n;
  const bytes: number[] = [];
  while (z >= 0x80n) {
    bytes.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  bytes.push(Number(z));
  return Buffer.from(bytes);
}

/** What the pipeline must do with one message, worked out independently of the mapper. */
interface Expected {
  /** Error types of its dead letters (one per reason). */
  readonly deadLetters: string[];
  readonly parked: boolean;
  /** `meteringPoint|direction|startMs` of the readings it stores. */
  readonly stored: string[];
  /**
   * Its push window (series, first and last storable start) and revision (sentAt): of two
   * pushes of one window, the older is left out when the newer was claimed first.
   */
  readonly window?: { readonly id: string; readonly sentAtMs: number };
}

function expectedFor(
  value: Buffer,
  nowMs: number,
  retentionMs: number,
  horizonMs: number,
): Expected {
  const contracted = new Set([...valid, ...mutated, ...absurd]);
  let batch: IntervalBatch;
  try {
    const decoded = codec.decode(value);
    if (decoded.kind !== 'interval') throw new Error('a register push is not fuzzed');
    batch = decoded.batch;
  } catch {
    return { deadLetters: ['PoisonMessageError'], parked: false, stored: [] };
  }
  if (gsrnProblem(batch.meteringPointId) || batch.intervals.length === 0) {
    return { deadLetters: ['PoisonMessageError'], parked: false, stored: [] };
  }
  const dead = new Set<string>();
  let parked = false;
  const stored: string[] = [];
  for (const { startMs } of batch.intervals) {
    if (!storable(startMs)) dead.add('TimestampOutOfRange');
    else if (startMs > nowMs + horizonMs) dead.add('BeyondHorizon');
    else if (startMs < nowMs - retentionMs + RETENTION_MARGIN_MS) dead.add('OutsideRetention');
    // Contracts run from 2015: only a point without one leaves readings unattached.
    else if (!contracted.has(batch.meteringPointId)) parked = true;
    else stored.push(`${batch.meteringPointId}|${batch.direction}|${startMs}`);
  }
  const kept = batch.intervals
    .map((i) => i.startMs)
    .filter((t) => storable(t) && t <= nowMs + horizonMs);
  // Sent (by its own clock) past the horizon: what the start screen left is dead-lettered
  // whole, as its sentAt would stand as its windows' newest revision.
  if (kept.length > 0 && batch.sentAtMs > nowMs + horizonMs) {
    dead.delete('OutsideRetention');
    dead.add('SentInFuture');
    return { deadLetters: [...dead].sort(), parked: false, stored: [] };
  }
  const window =
    kept.length > 0
      ? {
          id: `${batch.meteringPointId}|${batch.direction}|${batch.resolution}|${Math.min(...kept)}|${Math.max(...kept)}`,
          sentAtMs: batch.sentAtMs,
        }
      : undefined;
  return { deadLetters: [...dead].sort(), parked, stored, ...(window ? { window } : {}) };
}

/**
 * The messages that are an older revision of a window another message holds a newer one of
 * (a bit flip in `sentAt` makes one): whether they are stored depends on which revision was
 * claimed first, so their readings may or may not be stored; the rest is exact.
 */
function olderRevisions(expected: readonly Expected[]): Set<number> {
  const newest = new Map<string, number>();
  for (const e of expected) {
    if (e.window)
      newest.set(e.window.id, Math.max(newest.get(e.window.id) ?? -Infinity, e.window.sentAtMs));
  }
  const older = new Set<number>();
  expected.forEach((e, i) => {
    if (e.window && e.window.sentAtMs < (newest.get(e.window.id) ?? -Infinity)) older.add(i);
  });
  return older;
}

describe('fuzzed head-end input', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('fuzz');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('ends with every message stored, dead-lettered or parked exactly once, the group stable', async () => {
    const contracts = [...valid, ...mutated, ...absurd].map((mp, i) =>
      openContract(mp, String(960_000 + i), '2015-01-01'),
    );
    await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages(contracts));
    const pipeline = await startPipeline(stack);
    try {
      await stack.contractsApplied();
      const nowMs = Date.now();
      const fuzzed = fuzzedMessages(nowMs);
      // A unique key per message: its dead letters (which keep the key) are traced to it.
      const outgoing: OutgoingMessage[] = fuzzed.map((f, i) => ({
        key: `fz-${i}`,
        value: f.value,
      }));
      await stack.producer.send(stack.config.kafka.topics.readings, outgoing);
      await waitFor('every fuzzed message committed', async () => (await stack.lag()) === 0, {
        timeoutMs: 120_000,
      });

      const { retentionMs, horizonMs } = {
        retentionMs: keepMsOf(retentionRules(), 'raw-readings'),
        horizonMs: stack.config.ingest.futureHorizonMs,
      };
      const expected = fuzzed.map((f) => expectedFor(f.value, nowMs, retentionMs, horizonMs));

      // Dead letters: exactly the expected ones per message, none twice.
      const deadCount = await topicCount(stack, stack.config.kafka.topics.deadLetter);
      const dead = await deadLetters(stack, deadCount);
      const gotDead = fuzzed.map(() => [] as string[]);
      for (const d of dead) gotDead[Number(d.key?.slice(3))]?.push(d.errorType);
      expect(gotDead.flat().length).toBe(dead.length); // every dead letter traced to its message
      // Parked: each message at most once in the lists.
      const parkedValues = await parkedMessages(stack);
      const gotParked = fuzzed.map((f) => parkedValues.filter((v) => v.equals(f.value)).length);
      // Stored: exactly the expected readings of all messages together.
      const pseudonymOf = new Map<string, string>();
      for (const c of contracts) {
        const mp = c.meteringPointIds[0] as string;
        const p = (await stack.registryContract(c.contractId))?.pseudonyms[mp];
        if (p) pseudonymOf.set(p, mp);
      }
      const stored = (await storedPoints(stack)).map(
        (p) => `${pseudonymOf.get(p.pseudonym)}|${p.direction}|${p.timeMs}`,
      );
      const older = olderRevisions(expected);
      const wantStored = new Set(expected.flatMap((e, i) => (older.has(i) ? [] : e.stored)));
      const mayStore = new Set(expected.flatMap((e, i) => (older.has(i) ? e.stored : [])));

      const mismatches = fuzzed
        .map((f, i) => ({
          i,
          kind: f.kind,
          want: expected[i],
          dead: gotDead[i]?.sort(),
          parked: gotParked[i],
        }))
        .filter(
          (m) =>
            JSON.stringify(m.dead) !== JSON.stringify(m.want?.deadLetters) ||
            m.parked !== (m.want?.parked ? 1 : 0),
        );
      expect(mismatches).toEqual([]);
      expect(stored.length).toBe(new Set(stored).size);
      expect([...wantStored].filter((r) => !stored.includes(r))).toEqual([]);
      expect(stored.filter((r) => !wantStored.has(r) && !mayStore.has(r))).toEqual([]);
      // Every message left a trace (or is an older revision of a window a newer push holds):
      // nothing consumed into thin air.
      const untraced = expected.filter(
        (e, i) => e.deadLetters.length === 0 && !e.parked && e.stored.length === 0 && !older.has(i),
      );
      expect(untraced).toEqual([]);
      expect(await groupState(stack)).toEqual({ state: 'Stable', members: 1 });
      expect(pipeline.ingest.consumer.restarts).toBe(0);

      const byKind = new Map<string, { n: number; stored: number; dead: number; parked: number }>();
      fuzzed.forEach((f, i) => {
        const k = byKind.get(f.kind) ?? { n: 0, stored: 0, dead: 0, parked: 0 };
        k.n++;
        if ((expected[i]?.stored.length ?? 0) > 0) k.stored++;
        if ((gotDead[i]?.length ?? 0) > 0) k.dead++;
        if ((gotParked[i] ?? 0) > 0) k.parked++;
        byKind.set(f.kind, k);
      });
      console.log(
        `[fuzz] seed ${SEED}: ${fuzzed.length} messages → ${stored.length} readings stored, ` +
          `${dead.length} dead letters, ${gotParked.filter((n) => n > 0).length} parked, ` +
          `${older.size} older revisions of a window; ` +
          `0 mismatches, 0 untraced, group Stable/1, 0 restarts\n` +
          [...byKind]
            .map(
              ([kind, k]) =>
                `  ${kind}: ${k.n} (with readings stored ${k.stored}, dead-lettered ${k.dead}, parked ${k.parked})`,
            )
            .join('\n'),
      );
    } finally {
      await pipeline.stop();
    }
  }, 240_000);
});

/** Every message in the parking lists of the test's Redis prefix. */
async function parkedMessages(stack: TestStack): Promise<Buffer[]> {
  const prefix = `${stack.config.registry.redisPrefix}:parked`;
  const ids = await stack.redis.smembers(`${prefix}:index`);
  const out: Buffer[] = [];
  for (const id of ids) out.push(...(await stack.redis.lrangeBuffer(`${prefix}:mp:${id}`, 0, -1)));
  return out;
}

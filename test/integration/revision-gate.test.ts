import { randomBytes } from 'node:crypto';
import {
  createRedis,
  IoredisRevisionGate,
  loadConfig,
  redisConnection,
  WindowBusyError,
} from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The revision rule's one decision point, on the real Redis: the claim and release scripts
 * (what every ingest batch runs for each push window it writes).
 */
const DAY = 86_400_000;
const D1 = Date.UTC(2026, 0, 20, 6);
const D2 = D1 + DAY;
const claim = (id: string, startMs: number, rev: number, owner: string) => ({
  id,
  startMs,
  rev,
  owner,
});

describe('the revision gate', () => {
  const redis = createRedis(redisConnection(loadConfig(process.env)));
  const prefix = `t:gate-${randomBytes(4).toString('hex')}`;
  const dayKey = (ms: number) => `${prefix}:${new Date(ms).toISOString().slice(0, 10)}`;

  beforeAll(async () => {
    await redis.ping();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('claims the newest revision of each window, reports older ones stale, across day hashes', async () => {
    const gate = new IoredisRevisionGate(redis, prefix);
    const first = await gate.claim([claim('a', D1, 200, 'p/0/1'), claim('b', D2, 100, 'p/0/1')]);
    expect([...first]).toEqual([]);
    expect(await redis.hgetall(dayKey(D1))).toEqual({
      'r|a': '200',
      'w|a': expect.stringMatching(/^p\/0\/1\|\d+$/),
    });
    expect(await redis.hget(dayKey(D2), 'r|b')).toBe('100');
    // Both day hashes expire with the window digests (40 days), not never.
    for (const ms of [D1, D2]) {
      const ttl = await redis.ttl(dayKey(ms));
      expect(ttl).toBeGreaterThan(39 * 86_400);
      expect(ttl).toBeLessThanOrEqual(40 * 86_400);
    }
    await gate.release([claim('a', D1, 200, 'p/0/1'), claim('b', D2, 100, 'p/0/1')]);
    expect(await redis.hgetall(dayKey(D1))).toEqual({ 'r|a': '200' });

    // An older push of `a` is stale; a newer one of `b` and a new window `c` are taken.
    const second = await gate.claim([
      claim('a', D1, 150, 'p/1/7'),
      claim('b', D2, 300, 'p/1/8'),
      claim('c', D1, 50, 'p/1/9'),
    ]);
    expect([...second]).toEqual(['a']);
    expect(await redis.hget(dayKey(D2), 'r|b')).toBe('300');
    expect(await redis.hget(dayKey(D1), 'r|c')).toBe('50');
    // The same revision again (a replay of the push that stands) is no older: taken.
    await gate.release([claim('b', D2, 300, 'p/1/8'), claim('c', D1, 50, 'p/1/9')]);
    expect([...(await gate.claim([claim('b', D2, 300, 'p/2/1')]))]).toEqual([]);
    expect(await redis.hget(dayKey(D2), 'r|b')).toBe('300');
  });

  it('keeps a window for its writer: another owner is refused whole until the release or the lease ends', async () => {
    const gate = new IoredisRevisionGate(redis, `${prefix}:lease`, 3_000);
    const key = `${prefix}:lease:${new Date(D1).toISOString().slice(0, 10)}`;
    await gate.claim([claim('x', D1, 10, 'writer')]);
    // All or nothing: `y`, free, is not claimed by the refused batch either.
    const refused = await gate
      .claim([claim('y', D1, 20, 'other'), claim('x', D1, 20, 'other')])
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WindowBusyError);
    expect(await redis.hget(key, 'r|y')).toBeNull();
    expect(await redis.hget(key, 'r|x')).toBe('10');
    // The writer itself reads its messages again (a restart): same owner, not busy.
    expect([...(await gate.claim([claim('x', D1, 10, 'writer')]))]).toEqual([]);
    // A release by someone else ends nothing.
    await gate.release([claim('x', D1, 20, 'other')]);
    expect(await redis.hget(key, 'w|x')).toMatch(/^writer\|/);
    expect(await gate.claim([claim('x', D1, 20, 'other')]).catch((e: unknown) => e)).toBeInstanceOf(
      WindowBusyError,
    );
    // After the lease (3 s: long enough that a stalled test never sees it lapse early) a
    // dead writer's window is taken over.
    await new Promise((r) => setTimeout(r, 3_500));
    expect([
      ...(await gate.claim([claim('x', D1, 20, 'other'), claim('y', D1, 20, 'other')])),
    ]).toEqual([]);
    expect(await redis.hget(key, 'r|x')).toBe('20');
    expect(await redis.hget(key, 'w|x')).toMatch(/^other\|/);
    await gate.release([claim('x', D1, 20, 'other'), claim('y', D1, 20, 'other')]);
    expect(await redis.hgetall(key)).toEqual({ 'r|x': '20', 'r|y': '20' });
  });

  it('claims and releases a batch of more windows than one Lua call can take at once', async () => {
    // 6,000 windows of one day: 12,000 fields, read and written in parts of 4,000.
    const gate = new IoredisRevisionGate(redis, `${prefix}:many`);
    const key = `${prefix}:many:${new Date(D1).toISOString().slice(0, 10)}`;
    const many = Array.from({ length: 6_000 }, (_, i) => claim(`m${i}`, D1, 1_000 + i, 'bulk'));
    expect((await gate.claim(many)).size).toBe(0);
    expect(await redis.hlen(key)).toBe(12_000);
    expect(await redis.hget(key, 'r|m5999')).toBe('6999');
    const older = many.map((c) => ({ ...c, rev: c.rev - 1, owner: 'late' }));
    await gate.release(many);
    expect(await redis.hlen(key)).toBe(6_000);
    expect((await gate.claim(older)).size).toBe(6_000);
  });
});

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { ParkingRewriter, ParkingStore } from './ports.js';

const DROP_IF_UNCHANGED = `
local n = tonumber(ARGV[1])
local items = redis.call('LRANGE', KEYS[1], 0, n - 1)
if #items ~= n then return 0 end
for i = 1, n do
  if items[i] ~= ARGV[i + 1] then return 0 end
end
redis.call('LTRIM', KEYS[1], n, -1)
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[n + 2]) end
return 1`;

const REWRITE_IF_UNCHANGED = `
local n = tonumber(ARGV[1])
local k = tonumber(ARGV[2])
local items = redis.call('LRANGE', KEYS[1], 0, n - 1)
if #items ~= n then return 0 end
for i = 1, n do
  if items[i] ~= ARGV[i + 2] then return 0 end
end
redis.call('LTRIM', KEYS[1], n, -1)
for i = k, 1, -1 do redis.call('LPUSH', KEYS[1], ARGV[n + 2 + i]) end
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[3])
  redis.call('SREM', KEYS[2], ARGV[n + k + 3])
end
return 1`;

/**
 * Parks each entry unless its source (topic/partition/offset) was parked before: a batch
 * read again after a crash, or a message replayed twice, does not park a second copy. A
 * re-queued parked reading comes back under a new offset, so it is parked again if it
 * still has no contract (and the old copy is dropped by the release that re-queued it).
 */
const PARK_ONCE = `
local index, prefix, keep = KEYS[1], ARGV[1], tonumber(ARGV[2])
for i = 3, #ARGV, 3 do
  local list = prefix .. ':mp:' .. ARGV[i]
  local fresh = 1
  if ARGV[i + 1] ~= '' then
    fresh = redis.call('SADD', list .. ':sources', ARGV[i + 1])
    redis.call('EXPIRE', list .. ':sources', keep)
  end
  if fresh == 1 then
    redis.call('RPUSH', list, ARGV[i + 2])
    redis.call('SADD', index, ARGV[i])
  end
end
return 1`;

const FORGET_SOURCES_IF_EMPTY = `
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
return 1`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** A release that takes longer (Kafka very slow) lets the next one in: at least once. */
const RELEASE_LOCK_MS = 30_000;

/** A source read again is read within the readings topic's retention (7 days): keep 8. */
const SOURCES_KEEP_SECONDS = 8 * 86_400;

/** Parked messages in Redis lists (binary-safe), one list per metering point, plus an index. */
export class IoredisParkingStore implements ParkingStore, ParkingRewriter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lukema:parked',
  ) {}

  private list(id: string) {
    return `${this.prefix}:mp:${id}`;
  }

  async park(
    entries: ReadonlyArray<{ meteringPointId: string; message: Buffer; source?: string }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    await redisCall('park', () =>
      this.redis.eval(
        PARK_ONCE,
        1,
        `${this.prefix}:index`,
        this.prefix,
        String(SOURCES_KEEP_SECONDS),
        ...entries.flatMap((e) => [e.meteringPointId, e.source ?? '', e.message]),
      ),
    );
  }

  async peek(id: string): Promise<Buffer[]> {
    return redisCall('parked read', () => this.redis.lrangeBuffer(this.list(id), 0, -1));
  }

  /**
   * Removes `messages` from the head of a point's list, but only if they are still there:
   * two releasers (the registry and a worker) may release the same point at once, and a
   * blind trim by count would then remove readings parked in between.
   */
  async drop(id: string, messages: readonly Buffer[]): Promise<void> {
    if (messages.length === 0) return;
    await redisCall('parked drop', () =>
      this.redis.eval(
        DROP_IF_UNCHANGED,
        2,
        this.list(id),
        `${this.prefix}:index`,
        String(messages.length),
        ...messages,
        id,
      ),
    );
  }

  async rewrite(id: string, seen: readonly Buffer[], kept: readonly Buffer[]): Promise<boolean> {
    const done = await redisCall('parked rewrite', () =>
      this.redis.eval(
        REWRITE_IF_UNCHANGED,
        3,
        this.list(id),
        `${this.prefix}:index`,
        // Emptied (an erasure took the last of it): the point's source ledger goes too.
        `${this.list(id)}:sources`,
        String(seen.length),
        String(kept.length),
        ...seen,
        ...kept,
        id,
      ),
    );
    return done === 1;
  }

  async forgetSourcesIfEmpty(id: string): Promise<void> {
    await redisCall('parked sources', () =>
      this.redis.eval(FORGET_SOURCES_IF_EMPTY, 2, this.list(id), `${this.list(id)}:sources`),
    );
  }

  async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const lock = `${this.list(id)}:releasing`;
    const token = randomUUID();
    for (let waitMs = 20; ; waitMs = Math.min(waitMs * 2, 500)) {
      const taken = await redisCall('release lock', () =>
        this.redis.set(lock, token, 'PX', RELEASE_LOCK_MS, 'NX'),
      );
      if (taken === 'OK') break;
      await new Promise((r) => setTimeout(r, waitMs));
    }
    try {
      return await fn();
    } finally {
      await redisCall('release unlock', () => this.redis.eval(UNLOCK, 1, lock, token));
    }
  }

  async summary(): Promise<{ meteringPoints: number; messages: number }> {
    const ids = await redisCall('parked index', () => this.redis.smembers(`${this.prefix}:index`));
    let messages = 0;
    for (const id of ids)
      messages += await redisCall('parked len', () => this.redis.llen(this.list(id)));
    return { meteringPoints: ids.length, messages };
  }
}

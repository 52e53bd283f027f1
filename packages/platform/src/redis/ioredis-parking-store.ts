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
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[n + k + 3])
end
return 1`;

/** Parked messages in Redis lists (binary-safe), one list per metering point, plus an index. */
export class IoredisParkingStore implements ParkingStore, ParkingRewriter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lukema:parked',
  ) {}

  private list(id: string) {
    return `${this.prefix}:mp:${id}`;
  }

  async park(entries: ReadonlyArray<{ meteringPointId: string; message: Buffer }>): Promise<void> {
    if (entries.length === 0) return;
    const tx = this.redis.multi();
    for (const e of entries) {
      tx.rpush(this.list(e.meteringPointId), e.message);
      tx.sadd(`${this.prefix}:index`, e.meteringPointId);
    }
    await redisCall('park', () => tx.exec());
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
        2,
        this.list(id),
        `${this.prefix}:index`,
        String(seen.length),
        String(kept.length),
        ...seen,
        ...kept,
        id,
      ),
    );
    return done === 1;
  }

  async summary(): Promise<{ meteringPoints: number; messages: number }> {
    const ids = await redisCall('parked index', () => this.redis.smembers(`${this.prefix}:index`));
    let messages = 0;
    for (const id of ids)
      messages += await redisCall('parked len', () => this.redis.llen(this.list(id)));
    return { meteringPoints: ids.length, messages };
  }
}

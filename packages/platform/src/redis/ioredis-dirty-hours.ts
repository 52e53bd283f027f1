import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { DirtyHour, DirtyHoursLedger } from './ports.js';

// One sequence number per mark: an hour marked again while it is being rolled up keeps
// its newer mark, so the change that came in meanwhile is rolled up too.
const MARK = `local seq = redis.call('INCR', KEYS[2])
for i = 1, #ARGV do redis.call('ZADD', KEYS[1], seq, ARGV[i]) end
return seq`;

const DONE = `for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return 1`;

const CHUNK = 5000;

/** The dirty-hours ledger as a Redis sorted set (member: hour, score: mark sequence). */
export class IoredisDirtyHours implements DirtyHoursLedger {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async mark(hoursMs: Iterable<number>): Promise<void> {
    const hours = [...new Set(hoursMs)].map(String);
    for (let i = 0; i < hours.length; i += CHUNK) {
      const part = hours.slice(i, i + CHUNK);
      await redisCall('dirty hours mark', () =>
        this.redis.eval(MARK, 2, this.key, `${this.key}:seq`, ...part),
      );
    }
  }

  async take(limit: number): Promise<DirtyHour[]> {
    const flat = await redisCall('dirty hours take', () =>
      this.redis.zrange(this.key, 0, limit - 1, 'WITHSCORES'),
    );
    const out: DirtyHour[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      out.push({ hourMs: Number(flat[i]), seq: Number(flat[i + 1]) });
    }
    return out;
  }

  async done(hours: readonly DirtyHour[]): Promise<void> {
    for (let i = 0; i < hours.length; i += CHUNK) {
      const args = hours.slice(i, i + CHUNK).flatMap((h) => [String(h.hourMs), String(h.seq)]);
      await redisCall('dirty hours done', () => this.redis.eval(DONE, 1, this.key, ...args));
    }
  }

  size(): Promise<number> {
    return redisCall('dirty hours size', () => this.redis.zcard(this.key));
  }
}

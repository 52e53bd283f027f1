import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { DirtyHour, DirtyHoursLedger } from './ports.js';

// Each mark is stamped with Redis' clock in µs, strictly increasing: an hour marked again
// while it is being rolled up keeps its newer mark, so the change that came in meanwhile
// is rolled up too; and a run can leave marks younger than a settling time alone.
const MARK = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if now <= last then now = last + 1 end
redis.call('SET', KEYS[2], now)
for i = 1, #ARGV do redis.call('ZADD', KEYS[1], now, ARGV[i]) end
return now`;

const TAKE = `local t = redis.call('TIME')
local cutoff = tonumber(t[1]) * 1000000 + tonumber(t[2]) - tonumber(ARGV[2]) * 1000
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', cutoff, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))`;

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
        this.redis.eval(MARK, 2, this.key, `${this.key}:last`, ...part),
      );
    }
  }

  async take(limit: number, settleMs = 0): Promise<DirtyHour[]> {
    const flat = (await redisCall('dirty hours take', () =>
      this.redis.eval(TAKE, 1, this.key, String(limit), String(settleMs)),
    )) as string[];
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

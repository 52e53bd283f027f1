import type { Redis } from 'ioredis';
import { execAll, redisCall } from './ioredis-client.js';
import type { KeyLedger } from './ports.js';

/**
 * A key ledger in one Redis sorted set (member: the key, score: when it was recorded), so
 * that entries older than `keepMs` can be trimmed as new ones come.
 */
export class IoredisKeyLedger implements KeyLedger {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly keepMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async recorded(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const scores = await redisCall('ledger read', () => this.redis.zmscore(this.key, ...keys));
    const oldest = this.now() - this.keepMs;
    return new Set(
      keys.filter((_, i) => {
        const score = scores[i];
        return score !== null && score !== undefined && Number(score) >= oldest;
      }),
    );
  }

  async record(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const now = this.now();
    const pipeline = this.redis.pipeline();
    pipeline.zadd(this.key, ...keys.flatMap((k) => [now, k]));
    pipeline.zremrangebyscore(this.key, '-inf', now - this.keepMs);
    await execAll('ledger write', pipeline);
  }
}

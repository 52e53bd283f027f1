import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { UnownedSeries } from './ports.js';

const CHUNK = 1000;

/** The series the rollups found without an owner, as a Redis set of pseudonyms. */
export class IoredisUnownedSeries implements UnownedSeries {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async note(pseudonyms: Iterable<string>): Promise<void> {
    const all = [...new Set(pseudonyms)];
    for (let i = 0; i < all.length; i += CHUNK) {
      const part = all.slice(i, i + CHUNK);
      await redisCall('unowned series note', () => this.redis.sadd(this.key, ...part));
    }
  }

  all(): Promise<string[]> {
    return redisCall('unowned series', () => this.redis.smembers(this.key));
  }
}

import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';

/** A legal hold on a customer's data: while it applies, their data is not erased. */
export interface LegalHold {
  readonly at: string;
  readonly reason: string;
}

/** Legal holds by customer number (set and released by the DPO). */
export interface LegalHolds {
  holdOf(customerId: string): Promise<LegalHold | undefined>;
  hold(customerId: string, hold: LegalHold): Promise<void>;
  release(customerId: string): Promise<void>;
}

/** Legal holds in one Redis hash (`<prefix>:legal-holds`): customer number → hold. */
export class IoredisLegalHolds implements LegalHolds {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async holdOf(customerId: string): Promise<LegalHold | undefined> {
    const raw = await redisCall('legal hold', () => this.redis.hget(this.key, customerId));
    return raw ? (JSON.parse(raw) as LegalHold) : undefined;
  }

  async hold(customerId: string, hold: LegalHold): Promise<void> {
    await redisCall('legal hold', () =>
      this.redis.hset(this.key, customerId, JSON.stringify(hold)),
    );
  }

  async release(customerId: string): Promise<void> {
    await redisCall('legal hold', () => this.redis.hdel(this.key, customerId));
  }
}

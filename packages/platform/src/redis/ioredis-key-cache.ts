import type { RegisterState, WrappedCustomerKey } from '@lukema/core';
import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import { forgetFieldsOf } from './ioredis-series-history.js';
import type { KeyCache, PointStateEraser, RegisterStateStore } from './ports.js';

/** Wrapped customer keys cached in a Redis hash; losing it loses nothing (see the key topic). */
export class IoredisKeyCache implements KeyCache {
  constructor(
    private readonly redis: Redis,
    private readonly hash = 'lukema:keys:customer',
  ) {}

  async get(customerId: string): Promise<WrappedCustomerKey | undefined> {
    const raw = await redisCall('key cache', () => this.redis.hget(this.hash, customerId));
    return raw ? (JSON.parse(raw) as WrappedCustomerKey) : undefined;
  }

  async set(record: WrappedCustomerKey): Promise<void> {
    await redisCall('key cache', () =>
      this.redis.hset(this.hash, record.customerId, JSON.stringify(record)),
    );
  }

  async delete(customerId: string): Promise<void> {
    await redisCall('key cache', () => this.redis.hdel(this.hash, customerId));
  }
}

/**
 * Kept register reads per series, in a Redis hash: a JSON array each (a single read, as
 * stored before, is read as one).
 */
export class IoredisRegisterStateStore implements RegisterStateStore, PointStateEraser {
  constructor(
    private readonly redis: Redis,
    private readonly hash = 'lukema:register:last',
  ) {}

  async getMany(keys: readonly string[]): Promise<Map<string, RegisterState[]>> {
    const out = new Map<string, RegisterState[]>();
    if (keys.length === 0) return out;
    const values = await redisCall('register state', () => this.redis.hmget(this.hash, ...keys));
    keys.forEach((k, i) => {
      const raw = values[i];
      if (!raw) return;
      const parsed = JSON.parse(raw) as RegisterState | RegisterState[];
      out.set(k, Array.isArray(parsed) ? parsed : [parsed]);
    });
    return out;
  }

  async setMany(states: ReadonlyMap<string, readonly RegisterState[]>): Promise<void> {
    if (states.size === 0) return;
    const flat = [...states].map(([k, v]) => [k, JSON.stringify(v)] as const);
    await redisCall('register state', () => this.redis.hset(this.hash, Object.fromEntries(flat)));
  }

  async forgetPoints(meteringPointIds: readonly string[]): Promise<void> {
    await forgetFieldsOf(this.redis, this.hash, meteringPointIds, 'register state');
  }
}

import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { ParkingStore } from './ports.js';

/** Parked messages in Redis lists (binary-safe), one list per metering point, plus an index. */
export class IoredisParkingStore implements ParkingStore {
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

  async drop(id: string, count: number): Promise<void> {
    const tx = this.redis.multi().ltrim(this.list(id), count, -1);
    await redisCall('parked drop', () => tx.exec());
    const left = await redisCall('parked len', () => this.redis.llen(this.list(id)));
    if (left === 0)
      await redisCall('parked index', () => this.redis.srem(`${this.prefix}:index`, id));
  }

  async summary(): Promise<{ meteringPoints: number; messages: number }> {
    const ids = await redisCall('parked index', () => this.redis.smembers(`${this.prefix}:index`));
    let messages = 0;
    for (const id of ids)
      messages += await redisCall('parked len', () => this.redis.llen(this.list(id)));
    return { meteringPoints: ids.length, messages };
  }
}

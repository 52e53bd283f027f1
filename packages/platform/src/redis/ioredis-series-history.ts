import type { SeriesHistory } from '@lukema/core';
import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { SeriesHistoryStore } from './ports.js';

/** Series histories in one Redis hash: field = series key, value = `meanWh:count`. */
export class IoredisSeriesHistory implements SeriesHistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async getMany(keys: readonly string[]): Promise<Map<string, SeriesHistory>> {
    const out = new Map<string, SeriesHistory>();
    if (keys.length === 0) return out;
    const values = await redisCall('series history', () => this.redis.hmget(this.key, ...keys));
    keys.forEach((k, i) => {
      const [mean, count] = (values[i] ?? '').split(':').map(Number);
      if (Number.isFinite(mean) && Number.isFinite(count) && count !== undefined && count > 0) {
        out.set(k, { meanWh: mean as number, count });
      }
    });
    return out;
  }

  async setMany(entries: ReadonlyMap<string, SeriesHistory>): Promise<void> {
    if (entries.size === 0) return;
    const fields: string[] = [];
    for (const [k, h] of entries)
      fields.push(k, `${Math.round(h.meanWh * 1000) / 1000}:${h.count}`);
    await redisCall('series history', () => this.redis.hset(this.key, ...fields));
  }
}

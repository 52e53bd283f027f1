import type { SeriesHistory } from '@lukema/core';
import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { PointStateEraser, SeriesHistoryStore } from './ports.js';

/** Series histories in one Redis hash: field = series key, value = `meanWh:count`. */
export class IoredisSeriesHistory implements SeriesHistoryStore, PointStateEraser {
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

  async forgetPoints(meteringPointIds: readonly string[]): Promise<void> {
    await forgetFieldsOf(this.redis, this.key, meteringPointIds, 'series history');
  }
}

/** Removes the hash fields `<point>|…` of these metering points (one HSCAN per point). */
export async function forgetFieldsOf(
  redis: Redis,
  key: string,
  meteringPointIds: readonly string[],
  what: string,
): Promise<void> {
  for (const id of meteringPointIds) {
    const fields: string[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await redisCall(what, () =>
        redis.hscan(key, cursor, 'MATCH', `${id}|*`, 'COUNT', 500),
      );
      cursor = next;
      for (let i = 0; i < flat.length; i += 2) fields.push(flat[i] as string);
    } while (cursor !== '0');
    if (fields.length > 0) await redisCall(what, () => redis.hdel(key, ...fields));
  }
}

import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';
import type { WindowDigestStore } from './ports.js';

const DAY_MS = 86_400_000;
/** Corrections come within days (Datahub's final values by D+11): keep digests 40 days. */
const KEEP_SECONDS = 40 * 86_400;

/** Digests of the values last stored per push window, one Redis hash per UTC day. */
export class IoredisWindowDigests implements WindowDigestStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(windowStartMs: number) {
    return `${this.prefix}:${new Date(Math.floor(windowStartMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10)}`;
  }

  async getMany(
    windows: ReadonlyArray<{ id: string; startMs: number }>,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (windows.length === 0) return out;
    const pipeline = this.redis.pipeline();
    for (const w of windows) pipeline.hget(this.key(w.startMs), w.id);
    const results = await redisCall('window digests', () => pipeline.exec());
    windows.forEach((w, i) => {
      const value = results?.[i]?.[1];
      if (typeof value === 'string') out.set(w.id, value);
    });
    return out;
  }

  async setMany(
    entries: ReadonlyArray<{ id: string; startMs: number; digest: string }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    const keys = new Set<string>();
    for (const e of entries) {
      const key = this.key(e.startMs);
      keys.add(key);
      pipeline.hset(key, e.id, e.digest);
    }
    for (const key of keys) pipeline.expire(key, KEEP_SECONDS);
    await redisCall('window digests', () => pipeline.exec());
  }
}

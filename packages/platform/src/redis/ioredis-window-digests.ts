import type { Redis } from 'ioredis';
import { execAll } from './ioredis-client.js';
import type { WindowDigestEraser, WindowDigestStore } from './ports.js';
import { dayHashNamer, forgetPointWindows } from './window-day-hashes.js';

/** Corrections come within days (Datahub's final values by D+11): keep digests 40 days. */
const KEEP_SECONDS = 40 * 86_400;

/** Digests of the values last stored per push window, one Redis hash per UTC day. */
export class IoredisWindowDigests implements WindowDigestStore, WindowDigestEraser {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.key = dayHashNamer(prefix);
  }

  private readonly key: (windowStartMs: number) => string;

  /** Groups ids by their day's hash, so each hash is read or written in one command. */
  private byKey<T extends { id: string; startMs: number }>(items: readonly T[]): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const key = this.key(item.startMs);
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
    return groups;
  }

  async getMany(
    windows: ReadonlyArray<{ id: string; startMs: number }>,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (windows.length === 0) return out;
    const groups = [...this.byKey(windows)];
    const pipeline = this.redis.pipeline();
    for (const [key, group] of groups) pipeline.hmget(key, ...group.map((w) => w.id));
    const results = await execAll('window digests', pipeline);
    groups.forEach(([, group], g) => {
      const values = (results?.[g]?.[1] ?? []) as Array<string | null>;
      group.forEach((w, i) => {
        const value = values[i];
        if (typeof value === 'string') out.set(w.id, value);
      });
    });
    return out;
  }

  async setMany(
    entries: ReadonlyArray<{ id: string; startMs: number; digest: string }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [key, group] of this.byKey(entries)) {
      // Field-value pairs as arguments: an object of thousands of ids would be built only
      // for ioredis to take it apart again.
      const pairs: string[] = [];
      for (const e of group) pairs.push(e.id, e.digest);
      pipeline.hset(key, ...pairs);
      pipeline.expire(key, KEEP_SECONDS);
    }
    await execAll('window digests', pipeline);
  }

  /**
   * Window ids are `<point>|<direction>|<resolution>|<startMs>|<endMs>`, kept in the hash of
   * their start's UTC day. Late or re-sent data writes digests for old days too, so the day
   * hashes that exist (they expire 40 days after their last write) are listed, not guessed.
   */
  async forgetWindows(meteringPointId: string, fromMs: number, toMs: number): Promise<number> {
    return forgetPointWindows(this.redis, this.prefix, [''], meteringPointId, fromMs, toMs);
  }
}

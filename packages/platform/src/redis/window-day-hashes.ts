import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';

const DAY_MS = 86_400_000;

/**
 * A namer for the day hash of a window start: `<prefix>:YYYY-MM-DD` (UTC). Remembers the
 * days it named: every push window of every batch asks (claim, release, digests read and
 * write), and a batch spans few days.
 */
export function dayHashNamer(prefix: string): (startMs: number) => string {
  const names = new Map<number, string>();
  return (startMs) => {
    const day = Math.floor(startMs / DAY_MS);
    let name = names.get(day);
    if (name === undefined) {
      name = `${prefix}:${new Date(day * DAY_MS).toISOString().slice(0, 10)}`;
      if (names.size >= 4096) names.clear();
      names.set(day, name);
    }
    return name;
  };
}

/**
 * Per-window state kept in one Redis hash per UTC day of the window's start (window
 * digests, revision claims): the day hashes under `prefix` that exist, listed rather than
 * guessed, since late or re-sent data writes to old days too.
 */
export async function windowDayKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redisCall('window day hashes', () =>
      redis.scan(cursor, 'MATCH', `${prefix}:????-??-??`, 'COUNT', 1000),
    );
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys;
}

/**
 * Removes the fields of one metering point's windows starting in [fromMs, toMs). Fields are
 * `<fieldPrefix><point>|<direction>|<resolution>|<startMs>|<endMs>` for each of
 * `fieldPrefixes` ('' for the digests' bare window ids).
 * @returns how many fields were removed.
 */
export async function forgetPointWindows(
  redis: Redis,
  prefix: string,
  fieldPrefixes: readonly string[],
  meteringPointId: string,
  fromMs: number,
  toMs: number,
): Promise<number> {
  let removed = 0;
  for (const key of await windowDayKeys(redis, prefix)) {
    const dayMs = Date.parse(key.slice(prefix.length + 1));
    if (!(dayMs + DAY_MS > fromMs && dayMs < toMs)) continue;
    for (const fieldPrefix of fieldPrefixes) {
      const mine: string[] = [];
      let cursor = '0';
      do {
        const [next, flat] = await redisCall('window day hashes', () =>
          redis.hscan(key, cursor, 'MATCH', `${fieldPrefix}${meteringPointId}|*`, 'COUNT', 1000),
        );
        cursor = next;
        for (let i = 0; i < flat.length; i += 2) {
          const field = flat[i] as string;
          const startMs = Number(field.slice(fieldPrefix.length).split('|')[3]);
          if (startMs >= fromMs && startMs < toMs) mine.push(field);
        }
      } while (cursor !== '0');
      if (mine.length > 0) {
        await redisCall('window day hashes', () => redis.hdel(key, ...mine));
        removed += mine.length;
      }
    }
  }
  return removed;
}

import { erasedPointTag } from '@lukema/core';
import type { Redis } from 'ioredis';
import { execAll } from './ioredis-client.js';
import type { ErasedPeriod, ErasedPeriodStore } from './ports.js';

/**
 * One list per metering point (`<prefix>:<tag>`, the tag a keyed hash of its id:
 * `erasedPointTag`), an entry `[fromMs, toMs | null]` per erased period, expiring `keepMs`
 * after the last erasure there: times only, no id, customer or pseudonym.
 */
export class IoredisErasedPeriods implements ErasedPeriodStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly keepMs: number,
    /** `erasedPointKeyOf(keyring)`. */
    private readonly tagKey: Buffer,
  ) {}

  private key(meteringPointId: string) {
    return `${this.prefix}:${erasedPointTag(this.tagKey, meteringPointId)}`;
  }

  async add(meteringPointId: string, periods: readonly ErasedPeriod[]): Promise<void> {
    if (periods.length === 0) return;
    const key = this.key(meteringPointId);
    const entries = periods.map((p) =>
      JSON.stringify([p.fromMs, Number.isFinite(p.toMs) ? p.toMs : null]),
    );
    await execAll(
      'erased periods',
      this.redis
        .pipeline()
        .rpush(key, ...entries)
        .pexpire(key, this.keepMs),
    );
  }

  async periodsOf(meteringPointIds: readonly string[]): Promise<Map<string, ErasedPeriod[]>> {
    const out = new Map<string, ErasedPeriod[]>();
    const ids = [...new Set(meteringPointIds)];
    if (ids.length === 0) return out;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.lrange(this.key(id), 0, -1);
    const results = (await execAll('erased periods', pipeline)) ?? [];
    ids.forEach((id, i) => {
      const raw = (results[i]?.[1] ?? []) as string[];
      if (raw.length === 0) return;
      out.set(
        id,
        raw.map((entry) => {
          const [fromMs, toMs] = JSON.parse(entry) as [number, number | null];
          return { fromMs, toMs: toMs ?? Number.POSITIVE_INFINITY };
        }),
      );
    });
    return out;
  }
}

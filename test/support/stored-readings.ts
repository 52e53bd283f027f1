import { SERIES_TAG } from '@lukema/core';
import type { TestStack } from './test-stack.js';

/** A stored reading with every field it was written with. */
export interface StoredReading {
  readonly pseudonym: string;
  readonly direction: string;
  readonly timeMs: number;
  readonly kwh: number | null;
  readonly quality: string;
  readonly flags: string;
  readonly rev: number | null;
  readonly status: string | null;
}

/** Every pseudonym holding readings in the test bucket. */
async function pseudonyms(stack: TestStack): Promise<string[]> {
  const rows = await stack.influx.rows<{ _value: string }>(
    `import "influxdata/influxdb/schema"
      schema.tagValues(bucket: "${stack.config.influx.buckets.readings}", tag: "${SERIES_TAG.pseudonym}",
        predicate: (r) => r._measurement == "energy", start: 0)`,
  );
  return rows.map((r) => r._value);
}

/**
 * Every reading in the test bucket with all it was written with (marks decoded, revision
 * recovered), read through the series store port as rectification reads them, in time order.
 */
export async function storedReadings(stack: TestStack): Promise<StoredReading[]> {
  const bucket = stack.config.influx.buckets.readings;
  const out: StoredReading[] = [];
  for (const pseudonym of await pseudonyms(stack)) {
    for (const r of await stack.influx.storedPoints(bucket, pseudonym)) {
      out.push({
        pseudonym,
        direction: r.direction,
        timeMs: Date.parse(r.time),
        kwh: typeof r.kwh === 'number' ? r.kwh : null,
        quality: r.quality,
        flags: r.flags ?? '',
        rev: typeof r.rev === 'number' && r.rev !== 0 ? r.rev : null,
        status: r.data_status ?? null,
      });
    }
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

/** A reading without its owner, to compare what was stored under two pseudonyms. */
export function withoutOwner({ pseudonym: _, ...rest }: StoredReading) {
  return rest;
}

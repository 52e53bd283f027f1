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

/** Every reading in the test bucket with all its fields (one row per point). */
export async function storedReadings(stack: TestStack): Promise<StoredReading[]> {
  const rows = await stack.influx.rows<Record<string, string | number | null | undefined>>(
    `${stack.from()} |> filter(fn: (r) => r._measurement == "energy")
      |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
      |> group() |> sort(columns: ["_time"])`,
  );
  return rows.map((r) => ({
    pseudonym: String(r.pseudonym),
    direction: String(r.direction),
    timeMs: Date.parse(String(r._time)),
    kwh: typeof r.kwh === 'number' ? r.kwh : null,
    quality: String(r.quality),
    flags: typeof r.flags === 'string' ? r.flags : '',
    rev: typeof r.rev === 'number' ? r.rev : null,
    status: typeof r.data_status === 'string' && r.data_status !== '' ? r.data_status : null,
  }));
}

/** A reading without its owner, to compare what was stored under two pseudonyms. */
export function withoutOwner({ pseudonym: _, ...rest }: StoredReading) {
  return rest;
}

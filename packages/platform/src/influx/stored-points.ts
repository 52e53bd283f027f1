import { decodeReadingMarks, RESOLUTION_MS, type Resolution, revisionsAt } from '@lukema/core';
import type { StoredPoint } from './ports.js';

/** A pivoted `energy` row as Flux returns it. */
export type StoredRow = {
  readonly _time: string;
  readonly direction: string;
  readonly resolution: string;
  readonly area: string;
  readonly kwh?: number | null;
  readonly q?: number | null;
  readonly flags?: string | null;
};

/** A revision record row. */
export type RevisionRow = {
  readonly _time: string;
  readonly _value: number;
  readonly direction: string;
  readonly resolution: string;
  readonly span: string;
};

/**
 * Stored points with their marks decoded and each one's revision recovered from the
 * revision records of its series. Never throws.
 */
export function storedPointsOf(rows: readonly StoredRow[], records: readonly RevisionRow[]) {
  const bySeries = new Map<string, StoredRow[]>();
  for (const r of rows) {
    const key = `${r.direction}|${r.resolution}`;
    const list = bySeries.get(key) ?? [];
    list.push(r);
    bySeries.set(key, list);
  }
  const out: StoredPoint[] = [];
  for (const [key, list] of bySeries) {
    const [direction, resolution] = key.split('|') as [string, string];
    list.sort((a, b) => Date.parse(a._time) - Date.parse(b._time));
    const times = list.map((r) => Date.parse(r._time));
    const revs = revisionsAt(
      records
        .filter((r) => r.direction === direction && r.resolution === resolution)
        .map((r) => ({
          endMs: Date.parse(r._time),
          span: Number(r.span),
          rev: Number(r._value),
        })),
      RESOLUTION_MS[resolution as Resolution] ?? 900_000,
      times,
    );
    list.forEach((r, i) => {
      const marks = decodeReadingMarks(Number(r.q ?? 0), r.flags ?? '');
      out.push({
        time: r._time,
        direction,
        resolution,
        area: r.area,
        kwh: r.kwh ?? null,
        quality: marks.quality,
        flags: marks.flags.length === 0 ? null : marks.flags.join(','),
        rev: revs[i] ?? 0,
        data_status: marks.dataStatus ?? null,
      });
    });
  }
  return out;
}

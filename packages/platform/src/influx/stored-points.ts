import {
  decodeReadingMarks,
  directionOfTag,
  RESOLUTION_MS,
  REVISION_SPAN_LIMIT,
  type Resolution,
  resolutionOfTag,
  revisionsAt,
} from '@lukema/core';
import type { StoredPoint } from './ports.js';

/** A pivoted `energy` row as Flux returns it (tags `d`, `r`: see core's series-tags.ts). */
export type StoredRow = {
  readonly _time: string;
  readonly d: string;
  readonly r: string;
  readonly kwh?: number | null;
  readonly q?: number | null;
  readonly flags?: string | null;
  /** A revision record's revision and span (see `REVISION_FIELD`). */
  readonly w?: number | null;
};

/**
 * Stored points with their marks decoded and each one's revision recovered from the
 * revision records of its series. Never throws.
 */
export function storedPointsOf(all: readonly StoredRow[]) {
  const bySeries = new Map<string, StoredRow[]>();
  const records: Array<{ endMs: number; span: number; rev: number; series: string }> = [];
  for (const r of all) {
    if (typeof r.w === 'number') {
      records.push({
        endMs: Date.parse(r._time) - 1,
        span: r.w % REVISION_SPAN_LIMIT,
        rev: Math.floor(r.w / REVISION_SPAN_LIMIT),
        series: `${r.d}|${r.r}`,
      });
    }
    // A reading has kwh or q (a record at the same instant as a reading shares its row).
    if (typeof r.kwh !== 'number' && typeof r.q !== 'number') continue;
    const key = `${r.d}|${r.r}`;
    const list = bySeries.get(key) ?? [];
    list.push(r);
    bySeries.set(key, list);
  }
  const out: StoredPoint[] = [];
  for (const [key, list] of bySeries) {
    const [dTag, rTag] = key.split('|') as [string, string];
    const direction = directionOfTag(dTag);
    const resolution = resolutionOfTag(rTag);
    list.sort((a, b) => Date.parse(a._time) - Date.parse(b._time));
    const times = list.map((r) => Date.parse(r._time));
    const revs = revisionsAt(
      records.filter((r) => r.series === key),
      RESOLUTION_MS[resolution as Resolution] ?? 900_000,
      times,
    );
    list.forEach((r, i) => {
      const marks = decodeReadingMarks(Number(r.q ?? 0), r.flags ?? '');
      out.push({
        time: r._time,
        direction,
        resolution,
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

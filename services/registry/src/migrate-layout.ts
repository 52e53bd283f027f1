import {
  type ContractPeriod,
  type DataStatus,
  ENERGY_MEASUREMENT,
  GAP_MEASUREMENT,
  PointLines,
  QUALITY_FIELD,
  type Quality,
  quoteStringField,
  REVISION_FIELD,
  type ValidatedInterval,
} from '@lukema/core';
import type { LegacyLayoutStore, LegacyPoint, LineWriter } from '@lukema/platform';

export interface MigrateLayoutDeps {
  readonly influx: LegacyLayoutStore & LineWriter;
  readonly bucket: string;
  /** Called after each slice, for progress. */
  readonly onSlice?: (slice: { fromMs: number; toMs: number; report: MigrateLayoutReport }) => void;
}

export interface MigrateLayoutReport {
  /** Earlier layouts' readings rewritten in the current layout. */
  readonly readings: number;
  /** Old-layout gap reports rewritten. */
  readonly gaps: number;
  /**
   * Earlier layouts' readings left out because a current one of the same series and time
   * is there: migrated by an earlier run, or stored after the upgrade (so newer).
   */
  readonly alreadySparse: number;
}

/** Lines per write request, as rectification writes. */
const WRITE_LINES = 5000;

/** One slice's work, held in memory at once: a day of a national fleet is ~360 M readings. */
export const DEFAULT_SLICE_MS = 3_600_000;

const periodOf = (p: LegacyPoint): ContractPeriod => ({
  contractId: p.pseudonym,
  startMs: 0,
  endMs: null,
  pseudonym: p.pseudonym,
  area: p.area,
});

/**
 * The fields and time of a point of the second layout, which has the current fields under
 * spelled-out tags: copied as they are. Undefined for a point with none of them.
 */
function sparseFields(p: LegacyPoint, startMs: number): string | undefined {
  const fields: string[] = [];
  if (typeof p.kwh === 'number') fields.push(`kwh=${p.kwh}`);
  if (typeof p.q === 'number') fields.push(`${QUALITY_FIELD}=${p.q}i`);
  if (typeof p.flags === 'string' && p.flags !== '')
    fields.push(`flags=${quoteStringField(p.flags)}`);
  if (typeof p.w === 'number') fields.push(`${REVISION_FIELD}=${p.w}i`);
  return fields.length === 0 ? undefined : `${fields.join(',')} ${startMs}`;
}

/** A first-layout reading as the interval it was written from, with its revision. */
function intervalOf(p: LegacyPoint, startMs: number): ValidatedInterval & { revision: number } {
  const status = p.data_status;
  return {
    startMs,
    quantityWh: typeof p.kwh === 'number' ? Math.round(p.kwh * 1000) : null,
    quality: (p.quality ?? 'measured') as Quality,
    flags: p.flags ? p.flags.split(',') : [],
    revision: Number(p.rev ?? 0),
    ...(status === 'final' || status === 'preliminary' ? { dataStatus: status as DataStatus } : {}),
  };
}

/**
 * Rewrites the earlier layouts' points in `[fromMs, toMs)` in the current one (short tags,
 * no area: see core's series-tags.ts), slice by slice. A first-layout reading (`commodity`
 * tag, string fields) with its value, quality, flags and Datahub status (as `kwh` and `q`)
 * and its revision in a revision record per run of one revision; a second-layout reading or
 * revision record (spelled-out tags with `area`, the current fields) with its fields as they
 * are; each gap report under the current tags. Then it deletes the slice's earlier points.
 * Writes come before the delete, so a crash leaves both layouts of a slice, and a re-run
 * repeats the same writes (InfluxDB overwrites identical points) and the delete: the
 * command is idempotent, and a run over migrated data finds nothing to do. An earlier
 * layout's point is not written over a current one of the same series and time (stored
 * after the upgrade, so newer).
 * @throws EngineUnavailableError when InfluxDB cannot be reached (retriable: run it again).
 */
export async function migrateLayout(
  deps: MigrateLayoutDeps,
  range: { readonly fromMs: number; readonly toMs: number; readonly sliceMs?: number },
): Promise<MigrateLayoutReport> {
  const lines = new PointLines();
  const total = { readings: 0, gaps: 0, alreadySparse: 0 };
  const slice = range.sliceMs ?? DEFAULT_SLICE_MS;
  for (let fromMs = range.fromMs; fromMs < range.toMs; fromMs += slice) {
    const toMs = Math.min(fromMs + slice, range.toMs);
    const points = await deps.influx.legacyPoints(deps.bucket, fromMs, toMs);
    const report = { readings: 0, gaps: 0, alreadySparse: 0 };
    if (points.length > 0) {
      const sparse = await deps.influx.sparseReadingKeys(deps.bucket, fromMs, toMs);
      const out: string[] = [];
      const series = new Map<
        string,
        { point: LegacyPoint; readings: Array<{ startMs: number; revision: number }> }
      >();
      for (const p of points) {
        const startMs = Date.parse(p.time);
        if (p.measurement === GAP_MEASUREMENT) {
          if (typeof p.intervals !== 'number') continue;
          out.push(
            lines.gap(periodOf(p), p.direction, p.resolution, { startMs, intervals: p.intervals }),
          );
          report.gaps++;
          continue;
        }
        const key = `${p.pseudonym}|${p.direction}|${p.resolution}`;
        if (!p.commodity) {
          // The second layout: its readings and revision records keep their fields.
          const fields = sparseFields(p, startMs);
          if (fields === undefined) continue;
          if (sparse.has(`${key}|${startMs}`)) {
            if (typeof p.w !== 'number') report.alreadySparse++;
            continue;
          }
          const prefix = lines.prefix(ENERGY_MEASUREMENT, periodOf(p), p.direction, p.resolution);
          out.push(`${prefix} ${fields}`);
          if (typeof p.w !== 'number') report.readings++;
          continue;
        }
        const interval = intervalOf(p, startMs);
        // Its revision is recorded either way: a crash may have come between a run's
        // readings and its records, and a newer reading's own record outranks this one.
        const s = series.get(key) ?? { point: p, readings: [] };
        if (interval.revision !== 0) s.readings.push(interval);
        series.set(key, s);
        if (sparse.has(`${key}|${startMs}`)) {
          report.alreadySparse++;
          continue;
        }
        out.push(lines.reading(periodOf(p), p.direction, p.resolution, interval));
        report.readings++;
      }
      for (const { point, readings } of series.values()) {
        readings.sort((a, b) => a.startMs - b.startMs);
        out.push(
          ...lines.revisionRecords(periodOf(point), point.direction, point.resolution, readings),
        );
      }
      for (let i = 0; i < out.length; i += WRITE_LINES) {
        await deps.influx.writeLines(deps.bucket, out.slice(i, i + WRITE_LINES));
      }
      await deps.influx.deleteLegacyPoints(deps.bucket, fromMs, toMs);
    }
    total.readings += report.readings;
    total.gaps += report.gaps;
    total.alreadySparse += report.alreadySparse;
    deps.onSlice?.({ fromMs, toMs, report });
  }
  return total;
}

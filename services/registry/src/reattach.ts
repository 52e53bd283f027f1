import { type IntervalBatch, PointLines, periodAt, type Quality } from '@lukema/core';
import type { LineWriter, RegistryReader, SeriesStore, StoredContract } from '@lukema/platform';

export interface ReattachDeps {
  readonly influx: SeriesStore & LineWriter;
  readonly registry: RegistryReader;
  readonly bucket: string;
  /** Parks readings that no longer belong to anyone (a re-encoded interval batch). */
  readonly park: (meteringPointId: string, batch: IntervalBatch) => Promise<void>;
}

export interface ReattachResult {
  readonly moved: number;
  readonly parked: number;
  readonly kept: number;
}

/** Contiguous runs of sorted instants, as [start, stop) ranges for the delete API. */
function runs(times: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const t of times.sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && t - last[1] <= 3_600_000) last[1] = t + 1;
    else out.push([t, t + 1]);
  }
  return out;
}

/**
 * Rectification of an assignment: after a contract changed (period, customer, metering
 * points), every reading stored under its old pseudonyms is attached again by its own
 * timestamp. Readings that now belong to another contract move to that pseudonym; those
 * that belong to no one are parked (they attach when the right assignment arrives); the
 * moved points are then deleted from the old series. Writes come before deletes, so a
 * crash in between leaves a duplicate, never a loss, and a re-run repairs it.
 */
const pointLines = new PointLines();

export async function reattachContract(
  previous: StoredContract,
  deps: ReattachDeps,
): Promise<ReattachResult> {
  let moved = 0;
  let parked = 0;
  let kept = 0;
  for (const [meteringPointId, oldPseudonym] of Object.entries(previous.pseudonyms)) {
    const rows = await deps.influx.storedPoints(deps.bucket, oldPseudonym);
    if (rows.length === 0) continue;
    const periods = (await deps.registry.periodsFor([meteringPointId])).get(meteringPointId) ?? [];
    const lines: string[] = [];
    const leaving: number[] = [];
    const orphans = new Map<string, IntervalBatch>();
    for (const r of rows) {
      const t = Date.parse(r.time);
      const owner = periodAt(periods, t);
      if (owner && owner.pseudonym === oldPseudonym) {
        kept++;
        continue;
      }
      leaving.push(t);
      if (owner) {
        const interval = {
          startMs: t,
          quantityWh: r.kwh === null || r.kwh === undefined ? null : Math.round(r.kwh * 1000),
          quality: r.quality as Quality,
          flags: r.flags ? r.flags.split(',') : [],
        };
        lines.push(
          pointLines.reading(owner, r.direction, r.resolution, interval, Number(r.rev ?? 0)),
        );
        moved++;
        continue;
      }
      const key = `${r.direction}|${r.resolution}`;
      const batch = orphans.get(key) ?? {
        messageId: `rectification-${previous.contractId}-${meteringPointId}-${key}`,
        headEndId: 'lukema-rectification',
        meteringPointId,
        direction: r.direction === 'production' ? 'production' : 'consumption',
        resolution: r.resolution === 'PT1H' ? 'PT1H' : 'PT15M',
        sentAtMs: Number(r.rev ?? 0),
        intervals: [],
      };
      (batch.intervals as Array<IntervalBatch['intervals'][number]>).push({
        startMs: t,
        quantityWh: r.kwh === null || r.kwh === undefined ? null : Math.round(r.kwh * 1000),
        flags: r.quality === 'missing' ? ['MISSING'] : [],
      });
      orphans.set(key, batch);
      parked++;
    }
    for (let i = 0; i < lines.length; i += 5000)
      await deps.influx.writeLines(deps.bucket, lines.slice(i, i + 5000));
    for (const batch of orphans.values()) await deps.park(meteringPointId, batch);
    for (const [start, stop] of runs(leaving)) {
      await deps.influx.deleteSeriesPoints(deps.bucket, oldPseudonym, start, stop);
    }
  }
  return { moved, parked, kept };
}

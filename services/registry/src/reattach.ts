import {
  type ContractPeriod,
  type DataStatus,
  PointLines,
  periodAt,
  type Quality,
  type StoredInterval,
  type StoredReadingBatch,
} from '@lukema/core';
import type {
  LineWriter,
  RegistryReader,
  SeriesStore,
  StoredContract,
  StoredPoint,
} from '@lukema/platform';

export interface ReattachDeps {
  readonly influx: SeriesStore & LineWriter;
  readonly registry: RegistryReader;
  readonly bucket: string;
  /** Parks readings that no longer belong to anyone, as they were stored. */
  readonly park: (meteringPointId: string, batch: StoredReadingBatch) => Promise<void>;
}

export interface ReattachResult {
  readonly moved: number;
  readonly parked: number;
  readonly kept: number;
}

/**
 * A point's periods as they are once `next` is stored: its earlier version's period gives way
 * to the new one (none when `next` no longer covers the point).
 */
export function withVersion(
  periods: readonly ContractPeriod[],
  next: StoredContract,
  meteringPointId: string,
): ContractPeriod[] {
  const others = periods.filter((p) => p.contractId !== next.contractId);
  const pseudonym = next.pseudonyms[meteringPointId];
  const covers = next.status === 'active' && next.meteringPointIds.includes(meteringPointId);
  if (!covers || pseudonym === undefined) return others;
  const own: ContractPeriod = {
    contractId: next.contractId,
    startMs: next.startMs,
    endMs: next.endMs,
    pseudonym,
    area: next.area,
  };
  return [...others, own].sort((a, b) => a.startMs - b.startMs);
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
 * Readings per parked message: a vacant period can span months, and one message must stay
 * well within Kafka's message size limit when it is released (about 60 kB each).
 */
export const PARKED_READINGS_PER_MESSAGE = 2000;

/** A batch in parts of at most PARKED_READINGS_PER_MESSAGE readings, each its own message id. */
export function parkedParts(batch: StoredReadingBatch): StoredReadingBatch[] {
  if (batch.readings.length <= PARKED_READINGS_PER_MESSAGE) return [batch];
  const out: StoredReadingBatch[] = [];
  for (let i = 0; i < batch.readings.length; i += PARKED_READINGS_PER_MESSAGE) {
    out.push({
      ...batch,
      messageId: `${batch.messageId}-${i / PARKED_READINGS_PER_MESSAGE}`,
      readings: batch.readings.slice(i, i + PARKED_READINGS_PER_MESSAGE),
    });
  }
  return out;
}

/** A stored row as it was written: value, quality, flags, revision and Datahub status. */
function storedInterval(r: StoredPoint, startMs: number): StoredInterval {
  const status = r.data_status;
  return {
    startMs,
    quantityWh: r.kwh === null || r.kwh === undefined ? null : Math.round(r.kwh * 1000),
    quality: r.quality as Quality,
    flags: r.flags ? r.flags.split(',') : [],
    revision: Number(r.rev ?? 0),
    ...(status === 'final' || status === 'preliminary' ? { dataStatus: status as DataStatus } : {}),
  };
}

/**
 * Rectification of an assignment: after a contract changed (period, customer, metering
 * points), every reading stored under its old pseudonyms is attached again by its own
 * timestamp. Readings that now belong to another contract move to that pseudonym; those
 * that belong to no one are parked (they attach when the right assignment arrives); the
 * moved points are then deleted from the old series. Writes come before deletes, so a
 * crash in between leaves a duplicate, never a loss, and a re-run repairs it. Both moved
 * and parked readings keep value, quality, flags, revision and Datahub status exactly: they
 * are not validated again (parked ones travel as stored-reading batches).
 */
const pointLines = new PointLines();

export async function reattachContract(
  previous: StoredContract,
  next: StoredContract,
  deps: ReattachDeps,
): Promise<ReattachResult> {
  let moved = 0;
  let parked = 0;
  let kept = 0;
  for (const [meteringPointId, oldPseudonym] of Object.entries(previous.pseudonyms)) {
    const rows = await deps.influx.storedPoints(deps.bucket, oldPseudonym);
    if (rows.length === 0) continue;
    const periods = withVersion(
      (await deps.registry.periodsFor([meteringPointId])).get(meteringPointId) ?? [],
      next,
      meteringPointId,
    );
    const lines: string[] = [];
    // Moved readings per new owner and series, for their revision records.
    const movedRuns = new Map<
      string,
      { owner: ContractPeriod; r: StoredPoint; readings: StoredInterval[] }
    >();
    const leaving: number[] = [];
    const orphans = new Map<string, StoredReadingBatch>();
    for (const r of rows) {
      const t = Date.parse(r.time);
      const owner = periodAt(periods, t);
      if (owner && owner.pseudonym === oldPseudonym) {
        kept++;
        continue;
      }
      leaving.push(t);
      const interval = storedInterval(r, t);
      if (owner) {
        lines.push(pointLines.reading(owner, r.direction, r.resolution, interval));
        const runKey = `${owner.pseudonym}|${r.direction}|${r.resolution}`;
        const run = movedRuns.get(runKey) ?? { owner, r, readings: [] };
        run.readings.push(interval);
        movedRuns.set(runKey, run);
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
        readings: [],
      };
      (batch.readings as StoredInterval[]).push(interval);
      orphans.set(key, batch);
      parked++;
    }
    for (const { owner, r, readings } of movedRuns.values()) {
      readings.sort((a, b) => a.startMs - b.startMs);
      lines.push(...pointLines.revisionRecords(owner, r.direction, r.resolution, readings));
    }
    for (let i = 0; i < lines.length; i += 5000)
      await deps.influx.writeLines(deps.bucket, lines.slice(i, i + 5000));
    for (const batch of orphans.values()) {
      for (const part of parkedParts(batch)) await deps.park(meteringPointId, part);
    }
    for (const [start, stop] of runs(leaving)) {
      await deps.influx.deleteSeriesPoints(deps.bucket, oldPseudonym, start, stop);
    }
  }
  return { moved, parked, kept };
}

import { HOUR_MS, hoursOfLines, type LineChunk } from '@lukema/core';
import type { DirtyHoursLedger } from '../redis/ports.js';
import type { ChunkWriter, LineWriter, SeriesStore, StoredPoint, WriteResult } from './ports.js';

/*
 * Keeps the rollups following the readings: every write path of stored readings (the ingest
 * worker's chunks, rectification's moves and deletes, erasure) goes through these wrappers,
 * which mark the hours it touched in the dirty-hours ledger after InfluxDB acknowledged the
 * change. Rectification awaits its marks; the ingest worker does not (see writeChunk), and
 * the rollups leave a mark alone until it settled (LUKEMA_ROLLUP_SETTLE_SECONDS).
 */

function hoursIn(startMs: number, stopMs: number): number[] {
  const hours: number[] = [];
  for (let h = startMs - (startMs % HOUR_MS); h < stopMs; h += HOUR_MS) hours.push(h);
  return hours;
}

/** The ingest worker's writer, marking the hours of each acknowledged chunk. */
export class RollupMarkingChunkWriter implements ChunkWriter {
  constructor(
    private readonly inner: ChunkWriter,
    private readonly ledger: Pick<DirtyHoursLedger, 'mark'>,
    /** Told when a mark failed (the hours need a backfill). */
    private readonly onMarkFailed?: (error: unknown, hours: number) => void,
  ) {}

  async writeChunk(bucket: string, chunk: LineChunk): Promise<WriteResult> {
    const hours = hoursOfLines(chunk.body);
    const result = await this.inner.writeChunk(bucket, chunk);
    // Not awaited: holding the batch for the mark changed the order in which the worker's
    // window claims are released, and the fuzz test caught readings lost in that race. A
    // mark lost to a crash or an unreachable Redis leaves its hours stale until a backfill.
    this.ledger.mark(hours).catch((error: unknown) => this.onMarkFailed?.(error, hours.size));
    return result;
  }
}

/**
 * The registry's readings store (rectification, erasure): moved and deleted readings mark
 * their hours; erasing a pseudonym also deletes its rollups.
 */
export class RollupMarkingSeriesStore implements SeriesStore, LineWriter {
  constructor(
    private readonly inner: SeriesStore & LineWriter,
    private readonly ledger: Pick<DirtyHoursLedger, 'mark'>,
    private readonly rollupBucket: string,
    /** Deletes in the rollups bucket (a token that may write there). */
    private readonly rollups: Pick<SeriesStore, 'deleteSeries'> = inner,
  ) {}

  storedPoints(bucket: string, pseudonym: string): Promise<StoredPoint[]> {
    return this.inner.storedPoints(bucket, pseudonym);
  }

  async writeLines(bucket: string, lines: readonly string[]): Promise<WriteResult> {
    const result = await this.inner.writeLines(bucket, lines);
    await this.ledger.mark(hoursOfLines(lines.join('\n')));
    return result;
  }

  async deleteSeriesPoints(
    bucket: string,
    pseudonym: string,
    startMs: number,
    stopMs: number,
  ): Promise<void> {
    await this.inner.deleteSeriesPoints(bucket, pseudonym, startMs, stopMs);
    await this.ledger.mark(hoursIn(startMs, stopMs));
  }

  /**
   * Erasure: the readings and every rollup of the pseudonym, over all time; the hours it had
   * readings in are marked, so the per-area rollups under them are recomputed without it.
   */
  async deleteSeries(bucket: string, pseudonym: string): Promise<void> {
    const hours = new Set<number>();
    for (const p of await this.inner.storedPoints(bucket, pseudonym)) {
      const t = Date.parse(p.time);
      hours.add(t - (t % HOUR_MS));
    }
    await this.inner.deleteSeries(bucket, pseudonym);
    await this.rollups.deleteSeries(this.rollupBucket, pseudonym);
    if (hours.size > 0) await this.ledger.mark(hours);
  }
}

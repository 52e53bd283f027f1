import { HOUR_MS, hoursOfLines, type LineChunk } from '@lukema/core';
import type { DirtyHoursLedger } from '../redis/ports.js';
import type { ChunkWriter, LineWriter, SeriesStore, StoredPoint, WriteResult } from './ports.js';

/*
 * Keeps the rollups following the readings: every write path of stored readings (the ingest
 * worker's chunks, rectification's moves and deletes, erasure) goes through these wrappers,
 * which mark the hours it touched in the dirty-hours ledger, awaited, so a change whose mark
 * failed fails too and is retried (the ingest worker commits no offset, the registry does
 * not finish the event). Writes mark after InfluxDB acknowledged them: a run cannot clear
 * the mark before the data it stands for is stored, and a retry writes (and marks) again.
 * Deletes mark before as well: a delete retried after it landed finds nothing left to
 * delete, so nothing to mark; the mark made before it stays until it settled
 * (LUKEMA_ROLLUP_SETTLE_SECONDS), long after the delete landed.
 */

function hoursIn(startMs: number, stopMs: number): number[] {
  const hours: number[] = [];
  for (let h = startMs - (startMs % HOUR_MS); h < stopMs; h += HOUR_MS) hours.push(h);
  return hours;
}

/**
 * The ingest worker's writer: a chunk is written once InfluxDB acknowledged it AND its hours
 * are marked. A failed mark fails the write (retriable: the worker writes the chunk again,
 * which is idempotent, and marks again), so the batch's offsets are never committed ahead
 * of its marks; a crash between the two leaves the batch uncommitted, read again.
 */
export class RollupMarkingChunkWriter implements ChunkWriter {
  constructor(
    private readonly inner: ChunkWriter,
    private readonly ledger: Pick<DirtyHoursLedger, 'mark'>,
  ) {}

  async writeChunk(bucket: string, chunk: LineChunk): Promise<WriteResult> {
    const result = await this.inner.writeChunk(bucket, chunk);
    await this.ledger.mark(hoursOfLines(chunk.body));
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
    const hours = hoursIn(startMs, stopMs);
    await this.ledger.mark(hours);
    await this.inner.deleteSeriesPoints(bucket, pseudonym, startMs, stopMs);
    await this.ledger.mark(hours);
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
    // Before: a retry after the readings went would find no hours to mark.
    if (hours.size > 0) await this.ledger.mark(hours);
    await this.inner.deleteSeries(bucket, pseudonym);
    await this.rollups.deleteSeries(this.rollupBucket, pseudonym);
    if (hours.size > 0) await this.ledger.mark(hours);
  }
}

import type { Quality, StoredInterval, StoredReadingBatch } from '@lukema/core';
import { loadSchema } from './interval-batch-codec.js';
import { headerToDomain, headerToRecord, type PushHeaderRecord } from './push-header.js';
import { SingleObjectCodec } from './single-object-codec.js';

/** The internal stored-reading schema versions, oldest first (Lukema writes them, no one else). */
export const STORED_READING_BATCH_VERSIONS = ['stored-reading-batch.v1.avsc'] as const;

type QualitySymbol = 'MEASURED' | 'ESTIMATED' | 'MISSING' | 'SUSPECT';

/** The record as Avro sees it (newest schema). */
export interface StoredReadingBatchRecord extends PushHeaderRecord {
  readings: Array<{
    start: number;
    quantityWh: number | null;
    quality: QualitySymbol;
    flags: string[];
    revision: number;
    dataStatus: 'PRELIMINARY' | 'FINAL' | null;
  }>;
}

function toDomain(r: StoredReadingBatchRecord): StoredReadingBatch {
  return {
    ...headerToDomain(r),
    readings: r.readings.map(
      (s): StoredInterval => ({
        startMs: s.start,
        quantityWh: s.quantityWh,
        quality: s.quality.toLowerCase() as Quality,
        flags: s.flags,
        revision: s.revision,
        ...(s.dataStatus === null
          ? {}
          : { dataStatus: s.dataStatus === 'FINAL' ? 'final' : 'preliminary' }),
      }),
    ),
  };
}

function toRecord(b: StoredReadingBatch): StoredReadingBatchRecord {
  return {
    ...headerToRecord(b),
    readings: b.readings.map((s) => ({
      start: s.startMs,
      quantityWh: s.quantityWh,
      quality: s.quality.toUpperCase() as QualitySymbol,
      flags: [...s.flags],
      revision: s.revision,
      dataStatus:
        s.dataStatus === undefined ? null : s.dataStatus === 'final' ? 'FINAL' : 'PRELIMINARY',
    })),
  };
}

/** Encodes and decodes stored-reading batches (Avro single-object encoding). */
export class StoredReadingCodec {
  private readonly codec = new SingleObjectCodec<StoredReadingBatchRecord>(
    STORED_READING_BATCH_VERSIONS.map(loadSchema),
  );

  encode(batch: StoredReadingBatch): Buffer {
    return this.codec.encode(toRecord(batch));
  }

  /** @throws PoisonMessageError when the message cannot be decoded. */
  decode(bytes: Buffer): StoredReadingBatch {
    return toDomain(this.codec.decode(bytes));
  }

  get knownFingerprints(): string[] {
    return this.codec.knownFingerprints;
  }
}

import { readFileSync } from 'node:fs';
import type { HeadEndFlag, IntervalBatch } from '@lukema/core';
import { leanIntervalReader } from './lean-interval-reader.js';
import { headerToDomain, headerToRecord, type PushHeaderRecord } from './push-header.js';
import { HEADER_BYTES, SingleObjectCodec, schemaFingerprint } from './single-object-codec.js';

const AVRO_DIR = new URL('../avro/', import.meta.url);

/** Reads a schema file shipped in `schemas/avro`. */
export function loadSchema(file: string): object {
  return JSON.parse(readFileSync(new URL(file, AVRO_DIR), 'utf8')) as object;
}

/** The interval-batch schema versions, oldest first. */
export const INTERVAL_BATCH_VERSIONS = [
  'interval-reading-batch.v1.avsc',
  'interval-reading-batch.v2.avsc',
] as const;

/** The record as Avro sees it (newest schema). */
interface IntervalBatchRecord extends PushHeaderRecord {
  intervals: Array<{ start: number; quantityWh: number | null; flags: HeadEndFlag[] }>;
  /** Always present on decode: v1 messages resolve to the field default, PRELIMINARY. */
  dataStatus: 'PRELIMINARY' | 'FINAL';
}

function toDomain(r: IntervalBatchRecord): IntervalBatch {
  return {
    ...headerToDomain(r),
    intervals: r.intervals.map((i) => ({
      startMs: i.start,
      quantityWh: i.quantityWh,
      flags: i.flags,
    })),
    dataStatus: r.dataStatus === 'FINAL' ? 'final' : 'preliminary',
  };
}

function toRecord(b: IntervalBatch): IntervalBatchRecord {
  return {
    ...headerToRecord(b),
    intervals: b.intervals.map((i) => ({
      start: i.startMs,
      quantityWh: i.quantityWh,
      flags: [...i.flags],
    })),
    dataStatus: b.dataStatus === 'final' ? 'FINAL' : 'PRELIMINARY',
  };
}

/** Encodes and decodes interval batches in Avro single-object encoding. */
export class IntervalBatchCodec {
  private readonly codec: SingleObjectCodec<IntervalBatchRecord>;
  /** Readers straight into the domain batch, by writer fingerprint (see leanIntervalReader). */
  private readonly lean = new Map<string, (body: Buffer) => IntervalBatch | undefined>();

  constructor() {
    const schemas = INTERVAL_BATCH_VERSIONS.map(loadSchema);
    this.codec = new SingleObjectCodec<IntervalBatchRecord>(schemas);
    for (const schema of schemas) {
      const read = leanIntervalReader(schema);
      if (read) this.lean.set(schemaFingerprint(schema), read);
    }
  }

  encode(batch: IntervalBatch): Buffer {
    return this.codec.encode(toRecord(batch));
  }

  /** @throws PoisonMessageError when the message cannot be decoded. */
  decode(bytes: Buffer): IntervalBatch {
    // The lean reader reads what is valid; avsc reads anything else (and names the error).
    const read = this.lean.get(SingleObjectCodec.fingerprintOf(bytes));
    return read?.(bytes.subarray(HEADER_BYTES)) ?? toDomain(this.codec.decode(bytes));
  }

  get knownFingerprints(): string[] {
    return this.codec.knownFingerprints;
  }
}

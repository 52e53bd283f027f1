import {
  type HeadEndFlag,
  type IntervalBatch,
  PoisonMessageError,
  type RegisterReadBatch,
  type StoredReadingBatch,
} from '@lukema/core';
import { IntervalBatchCodec, loadSchema } from './interval-batch-codec.js';
import { headerToDomain, headerToRecord, type PushHeaderRecord } from './push-header.js';
import { SingleObjectCodec } from './single-object-codec.js';
import { StoredReadingCodec } from './stored-reading-codec.js';

/** The register-read schema versions, oldest first. */
export const REGISTER_READ_BATCH_VERSIONS = ['register-read-batch.v1.avsc'] as const;

/**
 * A decoded message of the readings topic: a head-end message of either family, or readings
 * Lukema stored before and re-queues after a rectification (`stored`, internal).
 */
export type MeterMessage =
  | { kind: 'interval'; batch: IntervalBatch }
  | { kind: 'register'; batch: RegisterReadBatch }
  | { kind: 'stored'; batch: StoredReadingBatch };

/** The register-read record as Avro sees it (newest schema). */
interface RegisterReadBatchRecord extends PushHeaderRecord {
  rolloverWh: number;
  reads: Array<{ at: number; registerWh: number; flags: HeadEndFlag[] }>;
}

function toDomain(r: RegisterReadBatchRecord): RegisterReadBatch {
  return {
    ...headerToDomain(r),
    rolloverWh: r.rolloverWh,
    reads: r.reads.map((read) => ({
      atMs: read.at,
      registerWh: read.registerWh,
      flags: read.flags,
    })),
  };
}

function toRecord(b: RegisterReadBatch): RegisterReadBatchRecord {
  return {
    ...headerToRecord(b),
    rolloverWh: b.rolloverWh,
    reads: b.reads.map((read) => ({
      at: read.atMs,
      registerWh: read.registerWh,
      flags: [...read.flags],
    })),
  };
}

/**
 * Encodes and decodes both head-end message families (interval batches and register
 * reads), telling them apart by the writer-schema fingerprint, so one topic can carry both.
 */
export class MeterMessageCodec {
  private readonly intervals = new IntervalBatchCodec();
  private readonly intervalFingerprints = new Set(this.intervals.knownFingerprints);
  private readonly registers = new SingleObjectCodec<RegisterReadBatchRecord>(
    REGISTER_READ_BATCH_VERSIONS.map(loadSchema),
  );
  private readonly registerFingerprints = new Set(this.registers.knownFingerprints);
  private readonly stored = new StoredReadingCodec();
  private readonly storedFingerprints = new Set(this.stored.knownFingerprints);

  /**
   * Decodes one message of either family.
   * @throws PoisonMessageError when the bytes are not single-object encoded, the writer
   *   schema belongs to no family, or the body does not decode.
   */
  decode(bytes: Buffer): MeterMessage {
    const fp = SingleObjectCodec.fingerprintOf(bytes);
    if (this.intervalFingerprints.has(fp)) {
      return { kind: 'interval', batch: this.intervals.decode(bytes) };
    }
    if (this.registerFingerprints.has(fp)) {
      return { kind: 'register', batch: toDomain(this.registers.decode(bytes)) };
    }
    if (this.storedFingerprints.has(fp)) {
      return { kind: 'stored', batch: this.stored.decode(bytes) };
    }
    throw new PoisonMessageError(`unknown writer schema fingerprint ${fp}`);
  }

  /** Encodes a decoded message again, with the newest schema of its family. */
  encode(message: MeterMessage): Buffer {
    switch (message.kind) {
      case 'interval':
        return this.encodeInterval(message.batch);
      case 'register':
        return this.encodeRegister(message.batch);
      case 'stored':
        return this.encodeStored(message.batch);
    }
  }

  /** Encodes with the newest interval-batch schema. */
  encodeInterval(batch: IntervalBatch): Buffer {
    return this.intervals.encode(batch);
  }

  /** Encodes with the newest register-read schema. */
  encodeRegister(batch: RegisterReadBatch): Buffer {
    return this.registers.encode(toRecord(batch));
  }

  /** Encodes readings a rectification parks (the internal stored-reading schema). */
  encodeStored(batch: StoredReadingBatch): Buffer {
    return this.stored.encode(batch);
  }

  /** Hex fingerprints of every writer schema, of all three families, this codec can read. */
  get knownFingerprints(): string[] {
    return [...this.intervalFingerprints, ...this.registerFingerprints, ...this.storedFingerprints];
  }
}

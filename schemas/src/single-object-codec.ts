import { PoisonMessageError } from '@lukema/core';
import avro from 'avsc';
import { boundedArrays } from './bounded-arrays.js';
import { rabinFingerprint } from './fingerprint.js';

const MAGIC_0 = 0xc3;
const MAGIC_1 = 0x01;
/** The marker and the 8-byte fingerprint before an Avro single-object body. */
export const HEADER_BYTES = 10;

type AvroType = avro.Type;

/**
 * Avro single-object encoding for one record family. Encodes with the newest schema and
 * decodes any known writer version into the newest (reader) schema, so old producers keep
 * working while the schema evolves.
 */
export class SingleObjectCodec<T> {
  private readonly reader: AvroType;
  private readonly readerHeader: Buffer;
  private readonly resolvers = new Map<string, { resolver: avro.Resolver; writer: AvroType }>();

  /**
   * @param versions the schema versions, oldest first; the last one is the reader schema.
   * @throws Error when two versions cannot be resolved against each other.
   */
  constructor(versions: readonly object[]) {
    const types = versions.map((schema) =>
      avro.Type.forSchema(schema as avro.Schema, boundedArrays()),
    );
    const reader = types.at(-1);
    if (!reader) throw new Error('SingleObjectCodec needs at least one schema version');
    this.reader = reader;
    this.readerHeader = headerFor(reader);
    for (const writer of types) {
      const fp = headerFor(writer).subarray(2).toString('hex');
      this.resolvers.set(fp, { writer, resolver: reader.createResolver(writer) });
    }
  }

  /** Hex fingerprints of the writer schemas this codec can read. */
  get knownFingerprints(): string[] {
    return [...this.resolvers.keys()];
  }

  encode(value: T): Buffer {
    return Buffer.concat([this.readerHeader, this.reader.toBuffer(value)]);
  }

  /** Encodes with an older writer schema: what a producer that has not upgraded sends. */
  encodeAs(version: object, value: unknown): Buffer {
    const writer = avro.Type.forSchema(version as avro.Schema);
    return Buffer.concat([headerFor(writer), writer.toBuffer(value)]);
  }

  /**
   * Hex fingerprint of the schema that wrote `bytes`, as listed in `knownFingerprints`.
   * Lets a caller pick the codec for a message without decoding it.
   * @throws PoisonMessageError when the bytes are not single-object encoded.
   */
  static fingerprintOf(bytes: Buffer): string {
    if (bytes.length < HEADER_BYTES || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) {
      throw new PoisonMessageError('not Avro single-object encoded (missing C3 01 marker)');
    }
    return bytes.subarray(2, HEADER_BYTES).toString('hex');
  }

  /**
   * Decodes one message.
   * @throws PoisonMessageError when the bytes are not single-object encoded, the writer
   *   schema is unknown, or the body does not decode.
   */
  decode(bytes: Buffer): T {
    const fp = SingleObjectCodec.fingerprintOf(bytes);
    const entry = this.resolvers.get(fp);
    if (!entry) throw new PoisonMessageError(`unknown writer schema fingerprint ${fp}`);
    try {
      const body = bytes.subarray(HEADER_BYTES);
      const { value, offset } = this.reader.decode(body, 0, entry.resolver);
      if (offset !== body.length) throw new Error(`decoded ${offset} of ${body.length} bytes`);
      return value as T;
    } catch (cause) {
      throw new PoisonMessageError('Avro body does not decode with its writer schema', { cause });
    }
  }
}

/** Hex fingerprint of a schema, as `fingerprintOf` reads it from a message it wrote. */
export function schemaFingerprint(schema: object): string {
  return headerFor(avro.Type.forSchema(schema as avro.Schema))
    .subarray(2)
    .toString('hex');
}

function headerFor(type: AvroType): Buffer {
  const canonical = JSON.stringify(type.schema());
  return Buffer.concat([Buffer.from([MAGIC_0, MAGIC_1]), rabinFingerprint(canonical)]);
}

import avro from 'avsc';

/**
 * avsc reads an array's block count and then that many items without looking at how many
 * bytes are left: past the end of the buffer every read still "succeeds" (the buffer is only
 * checked at the end), and it allocates `new Array(count)` first. One flipped bit in a
 * count, a varint of 2^40, makes decoding run until the heap is exhausted and the worker
 * dies (found by the fuzz test). Each item of every array in Lukema's schemas takes at least
 * one byte (a record of longs, an enum), so a count larger than the bytes left cannot be
 * valid: it is refused before anything is allocated.
 */
class BoundedArrayType extends avro.types.ArrayType {
  // Resolvers copy this method (`resolver._read = this._read`) and call it on themselves,
  // so `this.itemsType` is then the items' resolver.
  _read(tap: Tap): unknown[] {
    return readBoundedArray(tap, (this as unknown as { itemsType: ItemReader }).itemsType);
  }
}

/**
 * `Type.forSchema` options that read every array through `BoundedArrayType`; a new object
 * per call, as avsc keeps each schema's named types in the options it is given.
 */
export const boundedArrays = (): Partial<avro.ForSchemaOptions> => ({
  typeHook: (schema, opts) =>
    typeof schema === 'object' &&
    schema !== null &&
    !Array.isArray(schema) &&
    (schema as { type?: unknown }).type === 'array'
      ? new BoundedArrayType(schema, opts)
      : undefined,
});

/** The part of avsc's Tap that an array read uses. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  skipLong(): void;
}

interface ItemReader {
  _read(tap: Tap): unknown;
}

function readBoundedArray(tap: Tap, items: ItemReader): unknown[] {
  const out: unknown[] = [];
  for (let n = tap.readLong(); n !== 0; n = tap.readLong()) {
    if (n < 0) {
      n = -n;
      tap.skipLong(); // the block's size in bytes
    }
    if (n > tap.buf.length - tap.pos) {
      throw new Error(`array block of ${n} items in ${tap.buf.length - tap.pos} bytes left`);
    }
    for (; n > 0; n--) out.push(items._read(tap));
  }
  return out;
}

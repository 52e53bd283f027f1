import type { OutgoingMessage } from './ports.js';

/**
 * What one produce request may carry: Kafka refuses a record batch over the broker's
 * `message.max.bytes` (1,048,588 by default) as "message larger than max", and kafkajs sends
 * a request's messages for one partition as one batch. Kept well under it, with room for
 * the per-record framing the estimate below does not count exactly.
 */
export const MAX_REQUEST_BYTES = 900 * 1024;

/** Framing per record and per header (varints, attributes, lengths): a generous bound. */
const RECORD_OVERHEAD = 64;
const HEADER_OVERHEAD = 8;

const sizeOf = (v: string | Buffer | null | undefined) =>
  v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;

/** The bytes a message takes in a record batch, over-estimated. */
export function recordBytes(message: OutgoingMessage): number {
  let bytes = RECORD_OVERHEAD + sizeOf(message.key) + sizeOf(message.value);
  for (const [k, v] of Object.entries(message.headers ?? {})) {
    bytes += HEADER_OVERHEAD + Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  return bytes;
}

/**
 * Splits messages, in order, into requests of at most `maxBytes` each (a message larger
 * than that alone goes in a request of its own, for the broker to accept or refuse). Pure.
 */
export function requestBatches(
  messages: readonly OutgoingMessage[],
  maxBytes = MAX_REQUEST_BYTES,
): OutgoingMessage[][] {
  const batches: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = recordBytes(message);
    if (current.length > 0 && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

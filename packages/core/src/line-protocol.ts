/**
 * InfluxDB line protocol, built as strings: the hot path of the writer, so no objects
 * per point beyond what the caller already has.
 */

const TAG_SPECIALS = /[,= \\\n]/g;
const MEASUREMENT_SPECIALS = /[, \\\n]/g;
const STRING_FIELD_SPECIALS = /["\\]/g;

export function escapeTag(value: string): string {
  return value.replace(TAG_SPECIALS, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export function escapeMeasurement(value: string): string {
  return value.replace(MEASUREMENT_SPECIALS, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export function quoteStringField(value: string): string {
  return `"${value.replace(STRING_FIELD_SPECIALS, (c) => `\\${c}`)}"`;
}

export type FieldValue = number | string | boolean | { readonly int: number };

export interface Point {
  readonly measurement: string;
  /** Tags are written in key order, as InfluxDB prefers. Empty values are left out. */
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Epoch milliseconds; write with precision=ms. */
  readonly timeMs: number;
}

function formatField(value: FieldValue): string {
  if (typeof value === 'string') return quoteStringField(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('line protocol fields must be finite');
    return String(value);
  }
  return `${Math.trunc(value.int)}i`;
}

/**
 * Formats one point as a line.
 * @throws RangeError when a point has no fields or a non-finite number.
 */
export function formatPoint(point: Point): string {
  let line = escapeMeasurement(point.measurement);
  for (const key of Object.keys(point.tags).sort()) {
    const value = point.tags[key];
    if (value) line += `,${escapeTag(key)}=${escapeTag(value)}`;
  }
  const fieldParts: string[] = [];
  for (const [key, value] of Object.entries(point.fields)) {
    fieldParts.push(`${escapeTag(key)}=${formatField(value)}`);
  }
  if (fieldParts.length === 0) throw new RangeError('a point needs at least one field');
  return `${line} ${fieldParts.join(',')} ${Math.trunc(point.timeMs)}`;
}

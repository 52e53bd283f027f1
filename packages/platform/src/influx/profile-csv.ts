/*
 * Pieces of the load profile's CSV reading (see profile-fold.ts): cells, fields and numbers
 * read in place from the response's text.
 */

/** Splits a CSV line with quoted cells (a tag value holding a comma or a quote). */
export function splitQuoted(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}

/** The cell of a monthly cell's RFC 3339 time: its seconds (`…T22:00:14Z`). */
export function cellOfStamp(time: string): number {
  if (time.length >= 20 && time.charCodeAt(16) === 58 /* : */) {
    return (time.charCodeAt(17) - 48) * 10 + (time.charCodeAt(18) - 48);
  }
  return Math.floor(Date.parse(time) / 1000) % 60;
}

/** Columns a row needs at most (the response has `result`, `table` and the kept six). */
export const MAX_COLUMNS = 32;

export interface Columns {
  readonly table: number;
  readonly time: number;
  readonly value: number;
  readonly field: number;
  readonly area: number;
  readonly commodity: number;
  readonly direction: number;
  /** Cells to read of a table's first row: up to the last of the above. */
  count: number;
  /** Cells to read of its other rows: up to the table, time and value. */
  fast: number;
}

export const FIELD_CODES: Readonly<Record<string, number>> = {
  kwh: 0,
  top: 1,
  customers: 2,
  customersMax: 3,
  windows: 4,
};
const FIELD_NAMES = Object.keys(FIELD_CODES);

/** The code of the field named in `text[start, end)`, or -1. */
export function fieldCode(text: string, start: number, end: number): number {
  for (const name of FIELD_NAMES) {
    if (end - start === name.length && text.startsWith(name, start)) {
      return FIELD_CODES[name] as number;
    }
  }
  return -1;
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * The number in `text[start, end)`: a plain decimal of at most 15 digits from its digits
 * (an exact integer divided by an exact power of ten: the same double as `Number`), any
 * other form by `Number`.
 */
export function parseDecimal(text: string, start: number, end: number): number {
  let i = start;
  const negative = text.charCodeAt(i) === 45; /* - */
  if (negative) i += 1;
  let n = 0;
  let digits = 0;
  let scale = 0;
  let dot = false;
  for (; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      digits += 1;
      if (dot) scale += 1;
    } else if (ch === 46 /* . */ && !dot) dot = true;
    else return Number(text.slice(start, end));
  }
  if (digits === 0 || digits > 15) return Number(text.slice(start, end));
  const v = scale === 0 ? n : n / (POW10[scale] as number);
  return negative ? -v : v;
}

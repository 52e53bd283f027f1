/**
 * The rows of the Datahub CSV and of the JSON export, written in one pass over a run: each
 * reading read once, its time split once into a day and a minute's bytes and written into
 * both files' buffers, straight into their bytes (no call per field, no string). A row's
 * head (the CSV's series columns and date, the JSON's `["` and date) is one native copy of
 * bytes made once a day; the time of day comes from a table of the day's minutes. One loop
 * with no loop inside it: V8 compiles it (and recompiles it on stack) fast, which in the
 * first exports of a process measured as much CPU as running it.
 */
import type { ByteWriter } from './byte-writer.js';
import { DAY_MS } from './format.js';
import type { ReadingRun } from './reading-runs.js';

const encoder = new TextEncoder();
const ZERO = 48;
const MINUS = 45;
const SEMICOLON = 59;
const COMMA = 44;
const DOT = 46;
const QUOTE = 34;
const COLON = 58;
const Z = 90;
const NULL = encoder.encode('null');
/** GS1 product code of active energy. */
const ACTIVE_ENERGY = '8716867000030';
const STATUS_JSON = { preliminary: '"preliminary"', final: '"final"' } as const;

/** `HH:MM:` of each minute of a day, 6 bytes each. */
const MINUTES = new Uint8Array(1440 * 6);
for (let m = 0; m < 1440; m++) {
  const hh = Math.floor(m / 60);
  const mm = m % 60;
  MINUTES.set(
    [ZERO + Math.floor(hh / 10), ZERO + (hh % 10), COLON, ZERO + Math.floor(mm / 10)],
    m * 6,
  );
  MINUTES[m * 6 + 4] = ZERO + (mm % 10);
  MINUTES[m * 6 + 5] = COLON;
}
/** The two digits of 0..99, as character codes: tens at 2n, ones at 2n + 1. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) =>
  i % 2 === 0 ? ZERO + Math.floor(i / 20) : ZERO + ((i >> 1) % 10),
);
/** Rows between bounds checks of the buffers. */
const BLOCK = 1024;
/** Most bytes of a time (`HH:MM:SSZ`) and a quantity (sign, 16 digits, separator, 3). */
const TIME_BYTES = 9;
const KWH_BYTES = 24;

// Ids are GSRNs from the registry, but a stray `;`, quote or line break must not shift
// columns; checked once per series, not per row.
function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The CSV row's columns before its Start Time, for a run's series. */
export function datahubCsvPrefix(
  run: Pick<ReadingRun, 'meteringPointId' | 'direction' | 'resolution'>,
): string {
  return `${csvField(run.meteringPointId)};${ACTIVE_ENERGY};${run.resolution};kWh;${run.direction};`;
}

function longest(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n = Math.max(n, p.length);
  return n;
}

/**
 * Appends the rows of `run`'s readings `from` (inclusive) `to` (exclusive) to `csv`
 * (Datahub CSV rows, each ended by CRLF) and to `json` (`["start",kWh,"quality",status]`,
 * comma-separated; `jsonFirst` when no row of the series precedes them), either of which
 * may be null. A reading's quantity is kWh with three decimals (a decimal comma in the CSV,
 * a point in the JSON), empty or `null` when missing (NaN).
 * @throws RangeError when a reading has a non-finite startMs or an infinite quantity.
 */
export function writeRows(
  csv: ByteWriter | null,
  json: ByteWriter | null,
  run: ReadingRun,
  from: number,
  to: number,
  jsonFirst: boolean,
): void {
  if (to <= from) return;
  const prefix = csv === null ? '' : datahubCsvPrefix(run);
  // The end of a row, per mark of the run: `;quality;status\r\n` and `,"quality",status]`.
  const csvEnds =
    csv === null
      ? []
      : run.marks.map((m) => encoder.encode(`;${m.quality};${m.dataStatus || ''}\r\n`));
  const jsonEnds =
    json === null
      ? []
      : run.marks.map((m) =>
          encoder.encode(
            `,${JSON.stringify(m.quality)},${m.dataStatus ? STATUS_JSON[m.dataStatus] : 'null'}]`,
          ),
        );
  const prefixBytes = encoder.encode(prefix);
  const csvRow = prefixBytes.length + 11 + TIME_BYTES + 1 + KWH_BYTES + longest(csvEnds);
  const jsonRow = 3 + 11 + TIME_BYTES + 2 + KWH_BYTES + longest(jsonEnds);
  const { startMs, wh, mark } = run;
  let day = Number.NaN;
  // The row heads of the current day: the CSV's prefix and `YYYY-MM-DDT`, the JSON's `["…T`.
  const csvHead = new Uint8Array(prefixBytes.length + 11);
  csvHead.set(prefixBytes);
  const csvDate = prefixBytes.length;
  const jsonHead = new Uint8Array(13);
  jsonHead[0] = 91; // '['
  jsonHead[1] = QUOTE;
  const csvHeadLength = csvHead.length;
  let first = jsonFirst;
  // The buffers are asked for room a block of rows at a time, so that a writer sized for
  // the export is not grown (a copy of it) by asking for the worst case of every row.
  let cb = csv === null ? null : csv.room(Math.min(to - from, BLOCK) * csvRow);
  let jb = json === null ? null : json.room(Math.min(to - from, BLOCK) * jsonRow);
  let c = csv === null ? 0 : csv.written;
  let j = json === null ? 0 : json.written;
  let cEnd = cb === null ? 0 : cb.length - csvRow;
  let jEnd = jb === null ? 0 : jb.length - jsonRow;
  for (let i = from; i < to; i++) {
    if (csv !== null && c > cEnd) {
      csv.commit(c);
      cb = csv.room(Math.min(to - i, BLOCK) * csvRow);
      cEnd = cb.length - csvRow;
    }
    if (json !== null && j > jEnd) {
      json.commit(j);
      jb = json.room(Math.min(to - i, BLOCK) * jsonRow);
      jEnd = jb.length - jsonRow;
    }
    const ms = startMs[i] as number;
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      if (!Number.isFinite(ms)) throw new RangeError(`not a finite instant: ${ms}`);
      dateBytes(d, csvHead, csvDate);
      jsonHead.set(csvHead.subarray(csvDate), 2);
      day = d;
    }
    const seconds = Math.floor((ms - d * DAY_MS) / 1000);
    const minute = Math.floor(seconds / 60);
    const m6 = minute * 6;
    const s2 = (seconds - minute * 60) * 2;
    const q = wh[i] as number;
    const k = mark[i] as number;
    if (cb !== null) {
      cb.set(csvHead, c);
      c += csvHeadLength;
      cb[c] = MINUTES[m6] as number;
      cb[c + 1] = MINUTES[m6 + 1] as number;
      cb[c + 2] = MINUTES[m6 + 2] as number;
      cb[c + 3] = MINUTES[m6 + 3] as number;
      cb[c + 4] = MINUTES[m6 + 4] as number;
      cb[c + 5] = MINUTES[m6 + 5] as number;
      cb[c + 6] = PAIRS[s2] as number;
      cb[c + 7] = PAIRS[s2 + 1] as number;
      cb[c + 8] = Z;
      cb[c + 9] = SEMICOLON;
      c += 10;
    }
    if (jb !== null) {
      if (!first) jb[j++] = COMMA;
      first = false;
      jb.set(jsonHead, j);
      j += 13;
      jb[j] = MINUTES[m6] as number;
      jb[j + 1] = MINUTES[m6 + 1] as number;
      jb[j + 2] = MINUTES[m6 + 2] as number;
      jb[j + 3] = MINUTES[m6 + 3] as number;
      jb[j + 4] = MINUTES[m6 + 4] as number;
      jb[j + 5] = MINUTES[m6 + 5] as number;
      jb[j + 6] = PAIRS[s2] as number;
      jb[j + 7] = PAIRS[s2 + 1] as number;
      jb[j + 8] = Z;
      jb[j + 9] = QUOTE;
      jb[j + 10] = COMMA;
      j += 11;
    }
    if (Number.isNaN(q)) {
      if (jb !== null) {
        jb.set(NULL, j);
        j += 4;
      }
    } else {
      if (!Number.isFinite(q)) throw new RangeError(`not a finite quantity: ${q}`);
      if (cb !== null) c = kwhDigits(cb, c, q, COMMA);
      if (jb !== null) j = kwhDigits(jb, j, q, DOT);
    }
    if (cb !== null) {
      const e = csvEnds[k] as Uint8Array;
      cb.set(e, c);
      c += e.length;
    }
    if (jb !== null) {
      const e = jsonEnds[k] as Uint8Array;
      jb.set(e, j);
      j += e.length;
    }
  }
  csv?.commit(c);
  json?.commit(j);
}

/**
 * Writes `YYYY-MM-DDT` of a UTC day number into `out` at `at`, as `toISOString` spells it
 * (which is asked for years outside 0..9999); the civil date from the day number by integer
 * arithmetic (H. Hinnant's `civil_from_days`), not a Date and a string per day.
 */
function dateBytes(day: number, out: Uint8Array, at: number): void {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) {
    out.set(encoder.encode(new Date(day * DAY_MS).toISOString().slice(0, 11)), at);
    return;
  }
  const hi = Math.floor(y / 100) * 2;
  const lo = (y % 100) * 2;
  out[at] = PAIRS[hi] as number;
  out[at + 1] = PAIRS[hi + 1] as number;
  out[at + 2] = PAIRS[lo] as number;
  out[at + 3] = PAIRS[lo + 1] as number;
  out[at + 4] = MINUS;
  out[at + 5] = PAIRS[m * 2] as number;
  out[at + 6] = PAIRS[m * 2 + 1] as number;
  out[at + 7] = MINUS;
  out[at + 8] = PAIRS[d * 2] as number;
  out[at + 9] = PAIRS[d * 2 + 1] as number;
  out[at + 10] = 84; // 'T'
}

/**
 * Writes finite watt-hours as kWh with exactly three decimals into `out` at `at`: 1234 →
 * `1,234` with a comma separator, -50 → `-0.050` with a point; a non-integer rounded to the
 * nearest Wh. Returns where the digits end (the separator is 4 bytes before).
 */
function kwhDigits(out: Uint8Array, at: number, wh: number, separator: number): number {
  let n = Math.round(wh);
  let i = at;
  if (n < 0) {
    out[i++] = MINUS;
    n = -n;
  }
  const fraction = n % 1000;
  let whole = (n - fraction) / 1000;
  if (whole < 10) out[i++] = ZERO + whole;
  else if (whole < 100) {
    out[i++] = PAIRS[whole * 2] as number;
    out[i++] = PAIRS[whole * 2 + 1] as number;
  } else if (whole < 1000) {
    const h = Math.floor(whole / 100);
    const r = (whole - h * 100) * 2;
    out[i++] = ZERO + h;
    out[i++] = PAIRS[r] as number;
    out[i++] = PAIRS[r + 1] as number;
  } else {
    let count = 3;
    for (let limit = 1000; limit <= whole; limit *= 10) count++;
    for (let k = i + count - 1; k >= i; k--) {
      out[k] = ZERO + (whole % 10);
      whole = Math.floor(whole / 10);
    }
    i += count;
  }
  out[i++] = separator;
  const hundreds = Math.floor(fraction / 100);
  out[i++] = ZERO + hundreds;
  const rest = (fraction - hundreds * 100) * 2;
  out[i++] = PAIRS[rest] as number;
  out[i++] = PAIRS[rest + 1] as number;
  return i;
}

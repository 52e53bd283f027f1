import {
  type Direction,
  decodeReadingMarks,
  directionOfTag,
  EngineUnavailableError,
  type ExportReading,
  type ReadingMarks,
  type ReadingRun,
  type Resolution,
  type RunSink,
  readingRuns,
  resolutionOfTag,
  SERIES_TAG,
} from '@lukema/core';
import { SeriesMerge } from './series-merge.js';
import { SeriesStream } from './series-stream.js';

const COMMA = 44;
const CR = 13;
const LF = 10;
const HASH = 35;
const ZERO = 48;
const MINUS = 45;
const DOT = 46;
const INCOMPLETE = -2;
const NEW_TABLE = -1;
/** The fast path cannot read this row: the general one does. */
const GENERAL = -3;
const Z = 90;
const COLON = 58;
const T = 84;

/**
 * One field (`kwh` or `q`) of one series: times and values as they arrived, in typed
 * arrays that double when full (no boxed number or array growth per row).
 */
/**
 * Column arrays given back by finished reads, for the next export's parsers: a six-year
 * export fills ~16 MiB of them, which allocated afresh each time is external memory that
 * makes V8 run full collections while the next export runs. The largest are kept.
 */
const COLUMNS: Float64Array[] = [];
const COLUMNS_KEPT = 16;

function takeColumn(): Float64Array {
  return COLUMNS.pop() ?? new Float64Array(1024);
}

function giveColumn(a: Float64Array): void {
  if (a.length < 1 << 16) return;
  COLUMNS.push(a);
  COLUMNS.sort((x, y) => x.length - y.length);
  if (COLUMNS.length > COLUMNS_KEPT) COLUMNS.shift();
}

/**
 * One field (`kwh` or `q`) of one series: times and values as they arrived, in typed
 * arrays that double when full (no boxed number or array growth per row), taken from and
 * given back to a pool shared by the process's reads.
 */
export class FieldColumn {
  private t = takeColumn();
  private v = takeColumn();
  private capacity = Math.min(this.t.length, this.v.length);
  length = 0;
  /** False once a time arrived out of order or twice (several tables of one series). */
  ordered = true;

  /** The times so far (a view, valid until the next push). */
  get times(): Float64Array {
    return this.t.subarray(0, this.length);
  }

  /** The values so far (a view, valid until the next push). */
  get values(): Float64Array {
    return this.v.subarray(0, this.length);
  }

  push(time: number, value: number): void {
    const n = this.length;
    if (n === this.capacity) {
      const t = new Float64Array(n * 2);
      t.set(this.t.subarray(0, n));
      giveColumn(this.t);
      this.t = t;
      const v = new Float64Array(n * 2);
      v.set(this.v.subarray(0, n));
      giveColumn(this.v);
      this.v = v;
      this.capacity = n * 2;
    }
    if (n > 0 && (this.t[n - 1] as number) >= time) this.ordered = false;
    this.t[n] = time;
    this.v[n] = value;
    this.length = n + 1;
  }

  /** Gives the arrays back to the pool: the column (and every view of it) is dead after. */
  release(): void {
    giveColumn(this.t);
    giveColumn(this.v);
    this.t = new Float64Array(0);
    this.v = new Float64Array(0);
    this.capacity = 0;
    this.length = 0;
  }

  append(other: FieldColumn): void {
    const times = other.times;
    const values = other.values;
    for (let i = 0; i < times.length; i++) this.push(times[i] as number, values[i] as number);
    if (!other.ordered) this.ordered = false;
  }

  /** Times ascending, each once, with the value that arrived last (as a map by time would). */
  normalized(): FieldColumn {
    if (this.ordered) return this;
    const times = this.times;
    const values = this.values;
    const order = Array.from({ length: times.length }, (_, i) => i);
    // Stable: of equal times the one that arrived last ends last, and is kept.
    order.sort((a, b) => (times[a] as number) - (times[b] as number));
    const out = new FieldColumn();
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      const next = order[k + 1];
      if (next !== undefined && times[next] === times[i]) continue;
      out.push(times[i] as number, values[i] as number);
    }
    return out;
  }
}

export interface Series {
  readonly direction: Direction;
  readonly resolution: Resolution;
  readonly kwh: FieldColumn;
  readonly marks: FieldColumn;
}

/**
 * Reads the annotated CSV of `seriesReadingsFlux` from the bytes of the HTTP response as
 * they arrive: no string, array or object per row. Each table is one field of one series;
 * its group columns (field, direction, resolution) are decoded once per table, times and
 * values straight from the bytes (the date part of a time once per day). The readings are
 * assembled at the end by merging each series' `kwh` and `q` columns, both in time order.
 */
export class ExportSeriesParser {
  private readonly series = new Map<string, Series>();
  private rest: Buffer | null = null;
  // Column positions of the current header; -1 until one is read.
  private colTable = -1;
  private colTime = -1;
  private colValue = -1;
  private colField = -1;
  private colDirection = -1;
  private colResolution = -1;
  private colError = -1;
  private table = -1;
  private column: FieldColumn | null = null;
  private isKwh = true;
  /** Bytes from the end of a row's value to its line break, inclusive; 0 until known. */
  private tail = 0;
  // The date part of the last time parsed, and its day's start in ms.
  private dateKey = -1;
  private dateMs = 0;
  /** The bytes of the date part `dateMs` was read from, for fastRow; valid when dateValid. */
  private readonly date = new Uint8Array(10);
  private dateValid = false;
  /** The header has table, time and value in columns 2, 3 and 4, as InfluxDB sends them. */
  private fastLayout = false;

  /**
   * Feeds a chunk of the response; a line may continue in the next chunk. Only the line
   * that spans two chunks is copied: the rest is read where it arrived, during the call
   * (the chunk may be overwritten after it: nothing else of it is kept).
   */
  readonly chunk = (chunk: Buffer): void => {
    this.read(chunk);
    this.stream?.flush(this.onlySeries(), false);
  };

  /**
   * Hands the readings, merged, to `sink` as the response arrives: those up to the last
   * mark read, after each chunk (the `kwh` table comes whole before the marks' `q`). For
   * one series only: at a second series, or times out of order, `sink.end(false)`.
   */
  streamTo(sink: RunSink, meteringPointId: string): void {
    this.stream = new SeriesStream(sink, meteringPointId);
  }

  private stream: SeriesStream | null = null;

  /**
   * After `end`, the readings as `runs` gives them, taken from the stream's merge when
   * every one went through it (no second merge); undefined when not streamed whole.
   */
  streamedRuns(): ReadingRun[] | undefined {
    return this.stream?.merged();
  }

  /** The one series read so far; null when none, or several (those are not streamed). */
  private onlySeries(): Series | null | undefined {
    if (this.series.size > 1) return null;
    return this.series.values().next().value;
  }

  private read(chunk: Buffer): void {
    let start = 0;
    if (this.rest !== null) {
      const lf = chunk.indexOf(LF);
      if (lf === -1) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return;
      }
      const joined = Buffer.concat([this.rest, chunk.subarray(0, lf + 1)]);
      this.rest = null;
      this.lines(joined, 0);
      start = lf + 1;
    }
    this.lines(chunk, start);
  }

  /** Reads the whole lines of `buf` from `start`; keeps what follows the last one. */
  private lines(buf: Buffer, from: number): void {
    const n = buf.length;
    let start = from;
    while (start < n) {
      if (this.column !== null && buf[start] === COMMA) {
        let next = this.fastLayout ? this.fastRow(buf, start, n) : GENERAL;
        if (next === GENERAL) next = this.row(buf, start, n);
        if (next === INCOMPLETE) break;
        if (next !== NEW_TABLE) {
          start = next;
          continue;
        }
      }
      const lf = buf.indexOf(LF, start);
      if (lf === -1) break;
      const end = lf > start && buf[lf - 1] === CR ? lf - 1 : lf;
      this.line(buf, start, end);
      start = lf + 1;
    }
    // A copy: the chunk may be a view of a read buffer the next read overwrites.
    if (start < n) this.rest = Buffer.from(buf.subarray(start));
  }

  /**
   * The hottest path, for the layout InfluxDB sends (`,<empty result>,table,_time,_value,…`
   * with times to the second): a row read at fixed places, its date part compared with the
   * last row's instead of parsed. Anything else, or a row not whole in `buf`, returns
   * GENERAL for `row` to read.
   */
  private fastRow(buf: Buffer, start: number, n: number): number {
    let i = start + 1;
    if (i >= n || buf[i] !== COMMA) return GENERAL;
    i++;
    const tableStart = i;
    let table = 0;
    for (; i < n; i++) {
      const d = (buf[i] as number) - ZERO;
      if (d < 0 || d > 9) break;
      table = table * 10 + d;
    }
    // The time cell is 20 bytes and a comma; the value at least one byte and a comma.
    const ts = i + 1;
    if (i === tableStart || ts + 22 >= n || buf[i] !== COMMA || table !== this.table) {
      return GENERAL;
    }
    if (buf[ts + 19] !== Z || buf[ts + 20] !== COMMA) return GENERAL;
    const date = this.date;
    let time: number;
    if (
      this.dateValid &&
      buf[ts + 9] === date[9] &&
      buf[ts + 8] === date[8] &&
      buf[ts + 7] === date[7] &&
      buf[ts + 6] === date[6] &&
      buf[ts + 5] === date[5] &&
      buf[ts + 4] === date[4] &&
      buf[ts + 3] === date[3] &&
      buf[ts + 2] === date[2] &&
      buf[ts + 1] === date[1] &&
      buf[ts] === date[0] &&
      buf[ts + 10] === T &&
      buf[ts + 13] === COLON &&
      buf[ts + 16] === COLON
    ) {
      const h1 = (buf[ts + 11] as number) - ZERO;
      const h2 = (buf[ts + 12] as number) - ZERO;
      const m1 = (buf[ts + 14] as number) - ZERO;
      const m2 = (buf[ts + 15] as number) - ZERO;
      const s1 = (buf[ts + 17] as number) - ZERO;
      const s2 = (buf[ts + 18] as number) - ZERO;
      // `>>> 0` turns a byte below '0' into a large number: one comparison per digit.
      if (
        h1 >>> 0 > 2 ||
        h2 >>> 0 > 9 ||
        m1 >>> 0 > 5 ||
        m2 >>> 0 > 9 ||
        s1 >>> 0 > 5 ||
        s2 >>> 0 > 9
      ) {
        return GENERAL;
      }
      const hours = h1 * 10 + h2;
      if (hours > 23) return GENERAL;
      time = this.dateMs + ((hours * 60 + m1 * 10 + m2) * 60 + s1 * 10 + s2) * 1000;
    } else {
      // Read afresh: `time` leaves dateKey -1 unless these bytes are a valid calendar date.
      this.dateKey = -1;
      time = this.time(buf, ts, ts + 20);
      this.dateValid = this.dateKey !== -1;
      if (this.dateValid) for (let k = 0; k < 10; k++) date[k] = buf[ts + k] as number;
    }
    const valueStart = ts + 21;
    let valueEnd = valueStart;
    while (valueEnd < n && buf[valueEnd] !== COMMA) valueEnd++;
    if (valueEnd === valueStart || valueEnd >= n) return GENERAL;
    const lf = valueEnd + this.tail - 1;
    if (this.tail === 0 || lf >= n || buf[lf] !== LF) return GENERAL;
    (this.column as FieldColumn).push(
      time,
      this.isKwh ? this.kwhAsWh(buf, valueStart, valueEnd) : this.int(buf, valueStart, valueEnd),
    );
    return lf + 1;
  }

  /**
   * The hot path: one data row of the current table, its cells read in one pass up to the
   * value, then the rest of the line skipped. Returns where the next line starts, or that
   * the line is not complete in `buf` yet, or that it starts a new table (`line` reads it).
   */
  private row(buf: Buffer, start: number, n: number): number {
    const last = this.lastNeeded;
    let col = 0;
    let cellStart = start;
    let time = Number.NaN;
    let valueStart = -1;
    let valueEnd = -1;
    let i = start;
    for (; i < n; i++) {
      const c = buf[i] as number;
      if (c !== COMMA && c !== CR && c !== LF) continue;
      if (col === this.colTable) {
        if (this.int(buf, cellStart, i) !== this.table) return NEW_TABLE;
      } else if (col === this.colTime) {
        time = this.time(buf, cellStart, i);
      } else if (col === this.colValue) {
        valueStart = cellStart;
        valueEnd = i;
      }
      if (c !== COMMA || col === last) break;
      col++;
      cellStart = i + 1;
    }
    if (valueStart === -1) {
      while (i < n && buf[i] !== LF) i++;
      return i >= n ? INCOMPLETE : NEW_TABLE;
    }
    // The rest of a row (the group columns) is the same on every row of a table: skipped by
    // its length, once it is known and the line break is where it says.
    const lf = valueEnd + this.tail - 1;
    if (this.tail > 0 && lf < n && buf[lf] === LF) i = lf;
    else {
      while (i < n && buf[i] !== LF) i++;
      if (i >= n) return INCOMPLETE;
      this.tail = i - valueEnd + 1;
    }
    (this.column as FieldColumn).push(
      time,
      this.isKwh ? this.kwhAsWh(buf, valueStart, valueEnd) : this.int(buf, valueStart, valueEnd),
    );
    return i + 1;
  }

  /** The end of the response: a last line without a line break. */
  end(): void {
    const rest = this.rest;
    this.rest = null;
    if (rest !== null && rest.length > 0) {
      const end = rest[rest.length - 1] === CR ? rest.length - 1 : rest.length;
      this.line(rest, 0, end);
    }
    this.stream?.flush(this.onlySeries(), true);
  }

  private line(buf: Buffer, start: number, end: number): void {
    if (start === end) {
      this.colTable = -1;
      this.column = null;
      return;
    }
    if (buf[start] === HASH) return;
    if (this.colTable === -1 && this.colError === -1) {
      this.header(buf.toString('utf8', start, end).split(','));
      return;
    }
    if (this.colError !== -1) {
      // InfluxDB reports a failure that happens after the response began in the body.
      throw new EngineUnavailableError('influxdb', { context: { what: 'query' } });
    }
    // Cells up to the last column needed; values here hold no commas (numbers, names).
    let col = 0;
    let cellStart = start;
    let time = Number.NaN;
    let valueStart = -1;
    let valueEnd = -1;
    let newTable = false;
    for (let i = start; i <= end; i++) {
      if (i < end && buf[i] !== COMMA) continue;
      if (col === this.colTable) {
        const table = this.int(buf, cellStart, i);
        if (table !== this.table || this.column === null) {
          this.table = table;
          newTable = true;
        }
      } else if (col === this.colTime) {
        time = this.time(buf, cellStart, i);
      } else if (col === this.colValue) {
        valueStart = cellStart;
        valueEnd = i;
      }
      col++;
      cellStart = i + 1;
      if (!newTable && col > this.lastNeeded) break;
    }
    if (newTable) this.startTable(buf, start, end);
    const column = this.column as FieldColumn;
    column.push(
      time,
      this.isKwh ? this.kwhAsWh(buf, valueStart, valueEnd) : this.int(buf, valueStart, valueEnd),
    );
  }

  private lastNeeded = 0;

  private header(cells: string[]): void {
    this.colError = cells.indexOf('error');
    this.colTable = cells.indexOf('table');
    this.colTime = cells.indexOf('_time');
    this.colValue = cells.indexOf('_value');
    this.colField = cells.indexOf('_field');
    this.colDirection = cells.indexOf(SERIES_TAG.direction);
    this.colResolution = cells.indexOf(SERIES_TAG.resolution);
    this.lastNeeded = Math.max(this.colTable, this.colTime, this.colValue);
    this.fastLayout =
      this.colError === -1 && this.colTable === 2 && this.colTime === 3 && this.colValue === 4;
    this.column = null;
    this.table = -1;
  }

  /** A new table: its group columns, read from its first row. */
  private startTable(buf: Buffer, start: number, end: number): void {
    const cells = buf.toString('utf8', start, end).split(',');
    const field = cells[this.colField] ?? '';
    const direction = directionOfTag(cells[this.colDirection] ?? '') as Direction;
    const resolution = resolutionOfTag(cells[this.colResolution] ?? '') as Resolution;
    const key = `${direction}|${resolution}`;
    let s = this.series.get(key);
    if (s === undefined) {
      s = { direction, resolution, kwh: new FieldColumn(), marks: new FieldColumn() };
      this.series.set(key, s);
    }
    this.isKwh = field === 'kwh';
    this.tail = 0;
    this.column = this.isKwh ? s.kwh : s.marks;
  }

  private int(buf: Buffer, start: number, end: number): number {
    let n = 0;
    let i = start;
    const negative = buf[i] === MINUS;
    if (negative) i++;
    if (i === end) return Number(buf.toString('latin1', start, end));
    for (; i < end; i++) {
      const d = (buf[i] as number) - ZERO;
      if (d < 0 || d > 9 || n > 1e14) return Number(buf.toString('latin1', start, end));
      n = n * 10 + d;
    }
    return negative ? -n : n;
  }

  /**
   * kWh text as watt-hours, `Math.round(Number(text) * 1000)`. Up to 15 digits the text
   * is an exact integer over a power of ten, and that quotient is the double `Number`
   * gives (both correctly rounded from the same exact value).
   */
  private kwhAsWh(buf: Buffer, start: number, end: number): number {
    let i = start;
    const negative = buf[i] === MINUS;
    if (negative) i++;
    let n = 0;
    let digits = 0;
    let scale = 1;
    let dot = false;
    for (; i < end; i++) {
      const c = buf[i] as number;
      if (c === DOT && !dot) {
        dot = true;
        continue;
      }
      const d = c - ZERO;
      if (d < 0 || d > 9 || ++digits > 15) {
        return Math.round(Number(buf.toString('latin1', start, end)) * 1000);
      }
      n = n * 10 + d;
      if (dot) scale *= 10;
    }
    if (digits === 0) return Math.round(Number(buf.toString('latin1', start, end)) * 1000);
    const value = n / scale;
    return Math.round((negative ? -value : value) * 1000);
  }

  private digits(buf: Buffer, at: number, count: number): number {
    let n = 0;
    for (let i = at; i < at + count; i++) {
      const d = (buf[i] as number) - ZERO;
      if (d < 0 || d > 9) return Number.NaN;
      n = n * 10 + d;
    }
    return n;
  }

  /** RFC 3339 `YYYY-MM-DDTHH:MM:SSZ` as epoch ms; anything else through Date.parse. */
  private time(buf: Buffer, start: number, end: number): number {
    if (
      end - start === 20 &&
      buf[start + 4] === MINUS &&
      buf[start + 7] === MINUS &&
      buf[start + 10] === 84 /* T */ &&
      buf[start + 13] === 58 /* : */ &&
      buf[start + 16] === 58 &&
      buf[end - 1] === 90 /* Z */
    ) {
      const date =
        this.digits(buf, start, 4) * 10_000 +
        this.digits(buf, start + 5, 2) * 100 +
        this.digits(buf, start + 8, 2);
      if (date !== this.dateKey) {
        if (Number.isNaN(date)) return Date.parse(buf.toString('latin1', start, end));
        this.dateKey = date;
        this.dateMs = Date.UTC(
          Math.floor(date / 10_000),
          (Math.floor(date / 100) % 100) - 1,
          date % 100,
        );
        // Date.UTC rolls an impossible date over (02-30): leave those to Date.parse.
        if (new Date(this.dateMs).getUTCDate() !== date % 100) this.dateKey = -1;
      }
      const seconds =
        this.digits(buf, start + 11, 2) * 3600 +
        this.digits(buf, start + 14, 2) * 60 +
        this.digits(buf, start + 17, 2);
      if (this.dateKey !== -1 && seconds < 86_400) return this.dateMs + seconds * 1000;
    }
    return Date.parse(buf.toString('latin1', start, end));
  }

  /**
   * Gives the column arrays back for the next read's parsers, once the readings were taken
   * (`readings`, `runs` and `streamedRuns` copy them): the parser is not to be used after.
   */
  release(): void {
    for (const s of this.series.values()) {
      s.kwh.release();
      s.marks.release();
    }
    this.series.clear();
  }

  /** Takes another parser's readings of later times (the next slice of the same series). */
  append(later: ExportSeriesParser): void {
    for (const [key, s] of later.series) {
      let mine = this.series.get(key);
      if (mine === undefined) {
        mine = { ...s, kwh: new FieldColumn(), marks: new FieldColumn() };
        this.series.set(key, mine);
      }
      mine.kwh.append(s.kwh);
      mine.marks.append(s.marks);
    }
  }

  /** The readings seen, in time order, attributed to `meteringPointId`. */
  readings(meteringPointId: string): ExportReading[] {
    const decoded = new Map<number, ReadingMarks>();
    const marksOf = (q: number) => {
      let m = decoded.get(q);
      if (m === undefined) {
        m = decodeReadingMarks(q);
        decoded.set(q, m);
      }
      return m;
    };
    // In InfluxDB's table order (by direction, then resolution) of the series with kwh,
    // then of those with only marks: how the whole range read in one query lists them.
    const order = [...this.series.values()].sort(bySeriesOrder);
    const out: ExportReading[] = [];
    for (const s of order) {
      const kwh = s.kwh.normalized();
      const marks = s.marks.normalized();
      let i = 0;
      let j = 0;
      const kt = kwh.times;
      const mt = marks.times;
      const kv = kwh.values;
      const mv = marks.values;
      while (i < kt.length || j < mt.length) {
        const a = i < kt.length ? (kt[i] as number) : Number.POSITIVE_INFINITY;
        const b = j < mt.length ? (mt[j] as number) : Number.POSITIVE_INFINITY;
        const startMs = Math.min(a, b);
        const quantityWh = a === startMs ? (kv[i++] as number) : null;
        const m = marksOf(b === startMs ? (mv[j++] as number) : 0);
        out.push({
          meteringPointId,
          direction: s.direction,
          resolution: s.resolution,
          startMs,
          quantityWh,
          quality: m.quality,
          dataStatus: m.dataStatus ?? null,
        });
      }
    }
    // Several series interleave in time (a stable sort: ties keep the series' order).
    if (order.length > 1) out.sort((a, b) => a.startMs - b.startMs);
    return out;
  }

  /**
   * The readings seen, as `readings` gives them, in runs of typed arrays (see ReadingRun):
   * no object per reading. One series (the usual case) is merged straight into one run.
   * @throws RangeError when a kwh value is not a finite number.
   */
  runs(meteringPointId: string): ReadingRun[] {
    if (this.series.size !== 1) return readingRuns(this.readings(meteringPointId));
    const s = this.series.values().next().value as Series;
    const kwh = s.kwh.normalized();
    const marks = s.marks.normalized();
    const merge = new SeriesMerge();
    merge.take(kwh.times, kwh.values, marks.times, marks.values, Number.POSITIVE_INFINITY);
    return [merge.run({ meteringPointId, direction: s.direction, resolution: s.resolution })];
  }
}

const seriesKey = (s: Series) => `${s.kwh.length > 0 ? 0 : 1}|${s.direction}|${s.resolution}`;

function bySeriesOrder(a: Series, b: Series): number {
  const x = seriesKey(a);
  const y = seriesKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

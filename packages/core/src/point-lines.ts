import type { ContractPeriod } from './contracts.js';
import { quoteStringField } from './line-protocol.js';
import { RESOLUTION_MS, type Resolution } from './reading.js';
import { encodeReadingMarks, QUALITY_FIELD } from './reading-code.js';
import { seriesPrefix } from './series-tags.js';
import type { Gap, ValidatedInterval } from './validation/index.js';

/** The measurement readings are stored in, and the one for reported gaps. */
export const ENERGY_MEASUREMENT = 'energy';
export const GAP_MEASUREMENT = 'data_gaps';
/** The field holding a reading's Datahub status in the old layout (see `migrate-layout`). */
export const DATA_STATUS_FIELD = 'data_status';
/**
 * A push window's revision record: one point per push window (per contract it touches) in
 * the readings' own series, 1 ms after the window's last interval, with the one field
 * `w` = revision × REVISION_SPAN_LIMIT + the window's length in steps back to its first
 * interval. In the series itself it costs InfluxDB one more sparse column, not another
 * series (measured: a separate measurement cost a quarter of the write ceiling); after the
 * last interval, it never expires (or is refused as past retention) before a reading it
 * covers. Readers tell it apart by its field: a reading has `kwh` or `q`.
 */
export const REVISION_FIELD = 'w';
/** Steps one record spans at most (a longer run gets several records). */
export const REVISION_SPAN_LIMIT = 1024;

/**
 * Builds line protocol for readings. The tag part of a line is the same for every reading
 * of a series, so it is built once per series and reused: this is the hot path.
 * Tags carry only the pseudonym, direction and resolution, never an identifier.
 */
export class PointLines {
  private readonly prefixes = new Map<string, string>();

  /**
   * The tag part of a series' lines (see series-tags.ts: no area, the registry holds it);
   * reuse it for every reading of the series.
   */
  prefix(measurement: string, period: ContractPeriod, direction: string, resolution: string) {
    const key = `${measurement}|${period.pseudonym}|${direction}|${resolution}`;
    let prefix = this.prefixes.get(key);
    if (prefix === undefined) {
      prefix = seriesPrefix(measurement, period.pseudonym, direction, resolution);
      if (this.prefixes.size > 500_000) this.prefixes.clear();
      this.prefixes.set(key, prefix);
    }
    return prefix;
  }

  /**
   * A reading: kwh (absent when missing) and, only when it is not measured, unflagged and
   * preliminary, its marks as the integer `q` (see `encodeReadingMarks`).
   */
  reading(
    period: ContractPeriod,
    direction: string,
    resolution: string,
    interval: ValidatedInterval,
  ): string {
    return `${this.prefix(ENERGY_MEASUREMENT, period, direction, resolution)} ${this.readingFields(interval)}`;
  }

  /** The part of a reading's line after the prefix: fields and timestamp (ms). */
  readingFields(interval: ValidatedInterval): string {
    // The common case allocates nothing but its string (the ingest hot path).
    if (
      interval.quantityWh !== null &&
      interval.flags.length === 0 &&
      interval.quality === 'measured' &&
      interval.dataStatus === 'preliminary'
    ) {
      return `kwh=${interval.quantityWh / 1000} ${interval.startMs}`;
    }
    const { q, otherFlags } = encodeReadingMarks(interval);
    let fields = interval.quantityWh === null ? '' : `kwh=${interval.quantityWh / 1000}`;
    if (q !== 0 || fields === '') fields += `${fields === '' ? '' : ','}${QUALITY_FIELD}=${q}i`;
    if (otherFlags.length > 0) fields += `,flags=${quoteStringField(otherFlags.join(','))}`;
    return `${fields} ${interval.startMs}`;
  }

  /**
   * Appends a reading's line to `out`: the same bytes as `prefix` + ' ' + `readingFields`,
   * written without building the fields' string in the common case (the ingest hot path).
   */
  addReading(out: LineBuffer, prefix: string, interval: ValidatedInterval): void {
    if (
      interval.quantityWh !== null &&
      interval.flags.length === 0 &&
      interval.quality === 'measured' &&
      interval.dataStatus === 'preliminary'
    )
      this.addMeasured(out, prefix, interval.startMs, interval.quantityWh);
    else out.add(prefix, this.readingFields(interval));
  }

  /**
   * Appends the line of a measured, unflagged, preliminary reading (what `addReading` writes
   * for one), without a validated interval object: see `isCleanPush`.
   */
  addMeasured(out: LineBuffer, prefix: string, startMs: number, quantityWh: number): void {
    if (!out.addKwh(prefix, quantityWh, startMs))
      out.add(
        prefix,
        this.readingFields({
          startMs,
          quantityWh,
          quality: 'measured',
          flags: [],
          dataStatus: 'preliminary',
        }),
      );
  }

  /**
   * The revision record(s) of readings from `firstMs` to `lastMs` (one push window under one
   * contract, or a run of stored readings of one revision): the parts after the series'
   * prefix, for LineBuffer. Several when the run spans REVISION_SPAN_LIMIT steps or more.
   */
  revisionFields(resolution: string, firstMs: number, lastMs: number, revision: number): string[] {
    const step = RESOLUTION_MS[resolution as Resolution] ?? 900_000;
    const out: string[] = [];
    for (let end = lastMs; ; end -= (REVISION_SPAN_LIMIT - 1) * step) {
      const span = Math.min(
        REVISION_SPAN_LIMIT - 1,
        Math.max(0, Math.ceil((end - firstMs) / step)),
      );
      out.push(`${REVISION_FIELD}=${revision * REVISION_SPAN_LIMIT + span}i ${end + 1}`);
      if (end - span * step <= firstMs) return out;
    }
  }

  /** Revision records for readings in time order: one per run of one revision. */
  revisionRecords(
    period: ContractPeriod,
    direction: string,
    resolution: string,
    readings: ReadonlyArray<{ readonly startMs: number; readonly revision: number }>,
  ): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < readings.length) {
      const first = readings[i] as { startMs: number; revision: number };
      let j = i;
      while (j + 1 < readings.length && readings[j + 1]?.revision === first.revision) j++;
      const last = readings[j] as { startMs: number };
      const prefix = this.prefix(ENERGY_MEASUREMENT, period, direction, resolution);
      for (const rest of this.revisionFields(
        resolution,
        first.startMs,
        last.startMs,
        first.revision,
      ))
        out.push(`${prefix} ${rest}`);
      i = j + 1;
    }
    return out;
  }

  /** A reported gap: how many intervals are missing from its start (never invented values). */
  gap(period: ContractPeriod, direction: string, resolution: string, gap: Gap): string {
    return `${this.prefix(GAP_MEASUREMENT, period, direction, resolution)} ${this.gapFields(gap)}`;
  }

  /** The part of a gap's line after the prefix. */
  gapFields(gap: Gap): string {
    return `intervals=${gap.intervals}i ${gap.startMs}`;
  }
}

/** Lines ready to send as one write request: newline-terminated line protocol. */
export interface LineChunk {
  readonly body: Buffer;
  readonly count: number;
  /**
   * Byte offsets in `body` where each `mark()`ed source's lines end, in order: source k
   * wrote `body[marks[k-1] ?? 0, marks[k])`. Lets a refused line be traced to its message.
   */
  readonly marks?: readonly number[];
}

/**
 * Collects lines straight into bytes, a prefix and the rest at a time: the ingest hot path
 * builds no string per line to join later, so nothing of a line outlives its building.
 */
export class LineBuffer {
  private buf: Buffer;
  private length = 0;
  private lines = 0;
  private marks: number[] = [];
  /** The last prefix written, and where its bytes are in `buf` (see `add`). */
  private lastPrefix: string | undefined;
  private lastPrefixAt = 0;
  private lastPrefixBytes = 0;

  constructor(private readonly initialBytes = 1 << 20) {
    this.buf = Buffer.alloc(0); // allocated on the first line
  }

  get count(): number {
    return this.lines;
  }

  /**
   * Appends `prefix rest\n` (as from `PointLines.prefix` and `readingFields`/`gapFields`).
   * A series' readings come one after another with the same prefix: its bytes are copied
   * from the previous line rather than encoded again, and an ASCII rest (every reading's) is
   * stored byte by byte; crossing into native string encoding for ~100 bytes cost more
   * than the copy itself (measured with --cpu-prof).
   */
  add(prefix: string, rest: string): void {
    const room = this.length + (prefix.length + rest.length) * 3 + 2;
    if (room > this.buf.length) this.grow(room);
    const buf = this.buf;
    let at = this.writePrefix(prefix, this.length);
    buf[at++] = 0x20;
    let i = 0;
    for (; i < rest.length; i++) {
      const c = rest.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    at += i < rest.length ? buf.write(rest, at, 'utf8') : i;
    buf[at++] = 0x0a;
    this.length = at;
    this.lines++;
  }

  /**
   * Appends `prefix kwh=<quantityWh / 1000> <startMs>\n`, the digits written as bytes, and
   * returns true; or writes nothing and returns false when the value is not a whole number
   * of Wh below 10^15 (then the caller writes the line from its string). Below 10^15 Wh, the
   * kWh's decimal has at most 15 significant digits, so it is exactly what JavaScript prints
   * for the quotient.
   */
  addKwh(prefix: string, quantityWh: number, startMs: number): boolean {
    if (
      !Number.isInteger(quantityWh) ||
      Math.abs(quantityWh) >= 1e15 ||
      !Number.isSafeInteger(startMs) ||
      Object.is(quantityWh, -0)
    )
      return false;
    // prefix, ' kwh=', sign, 12 integer digits, '.', 3 decimals, ' ', 17 digits, '\n'
    const room = this.length + prefix.length * 3 + 48;
    if (room > this.buf.length) this.grow(room);
    const buf = this.buf;
    let at = this.writePrefix(prefix, this.length);
    buf[at++] = 0x20; // ' kwh='
    buf[at++] = 0x6b;
    buf[at++] = 0x77;
    buf[at++] = 0x68;
    buf[at++] = 0x3d;
    let wh = quantityWh;
    if (wh < 0) {
      buf[at++] = 0x2d;
      wh = -wh;
    }
    const whole = Math.floor(wh / 1000);
    at = writeDigits(buf, at, whole);
    let milli = wh - whole * 1000;
    if (milli !== 0) {
      buf[at++] = 0x2e;
      buf[at++] = 0x30 + Math.floor(milli / 100);
      milli %= 100;
      if (milli !== 0) {
        buf[at++] = 0x30 + Math.floor(milli / 10);
        milli %= 10;
        if (milli !== 0) buf[at++] = 0x30 + milli;
      }
    }
    buf[at++] = 0x20;
    if (startMs < 0) {
      buf[at++] = 0x2d;
      at = writeDigits(buf, at, -startMs);
    } else at = writeDigits(buf, at, startMs);
    buf[at++] = 0x0a;
    this.length = at;
    this.lines++;
    return true;
  }

  private grow(room: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(room, this.buf.length * 2, this.initialBytes));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  /** Writes a prefix at `at` (copied from the previous line when it is the same); returns the end. */
  private writePrefix(prefix: string, at: number): number {
    if (prefix === this.lastPrefix) {
      this.buf.copyWithin(at, this.lastPrefixAt, this.lastPrefixAt + this.lastPrefixBytes);
    } else {
      this.lastPrefixBytes = this.buf.write(prefix, at, 'utf8');
      this.lastPrefix = prefix;
    }
    this.lastPrefixAt = at;
    return at + this.lastPrefixBytes;
  }

  /** Ends the current source's lines (see `LineChunk.marks`). */
  mark(): void {
    this.marks.push(this.length);
  }

  /** The lines so far as one chunk; the buffer starts over (the chunk keeps its bytes). */
  take(): LineChunk {
    const chunk = {
      body: this.buf.subarray(0, this.length),
      count: this.lines,
      ...(this.marks.length > 0 ? { marks: this.marks } : {}),
    };
    this.buf = Buffer.alloc(0);
    this.length = 0;
    this.lines = 0;
    this.marks = [];
    this.lastPrefix = undefined;
    return chunk;
  }
}

/** Writes a non-negative safe integer's decimal digits at `at`; returns the end. */
function writeDigits(buf: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = at + digits - 1; i >= at; i--) {
    const next = Math.floor(v / 10);
    buf[i] = 0x30 + (v - next * 10);
    v = next;
  }
  return at + digits;
}

import { helsinkiParts } from '../analytics/helsinki-time.js';
import { escapeTag, quoteStringField } from '../line-protocol.js';
import { RESOLUTION_MS, type Resolution } from '../reading.js';

/**
 * Rollups of stored readings: per series (same pseudonym, direction, resolution) the kWh
 * sum, the number of intervals and the weakest quality of an hour, and of a Finnish local
 * day from its hours. Pure, so the rules are unit-tested; the rollup service runs them.
 */
export const HOURLY_MEASUREMENT = 'energy_1h';
export const DAILY_MEASUREMENT = 'energy_1d';
export const HOUR_MS = 3_600_000;

/** Weakest last: a rollup with a missing or estimated interval says so. */
const QUALITY_RANK: Readonly<Record<string, number>> = {
  measured: 0,
  estimated: 1,
  suspect: 2,
  missing: 3,
};

/** The weaker of two qualities (an unknown quality counts as the weakest). */
export function weakerQuality(a: string, b: string): string {
  return (QUALITY_RANK[a] ?? 4) >= (QUALITY_RANK[b] ?? 4) ? a : b;
}

export interface SeriesTags {
  readonly pseudonym: string;
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
  readonly resolution: string;
}

/** A stored reading as the rollup reads it (kwh absent for a missing interval). */
export interface RawReading extends SeriesTags {
  readonly timeMs: number;
  readonly kwh: number | null;
  readonly quality: string;
}

/** An hourly or daily rollup point (read back from the rollups as well). */
export interface RollupPoint extends SeriesTags {
  readonly startMs: number;
  /** Sum of the intervals' kWh; null when every interval was missing. */
  readonly kwh: number | null;
  readonly intervals: number;
  readonly quality: string;
}

/** Sums kept to the nWh: float addition of kWh with three decimals drifts in the 16th. */
const nano = (v: number) => Math.round(v * 1e9) / 1e9;

const seriesKey = (t: SeriesTags) =>
  `${t.pseudonym}|${t.area}|${t.commodity}|${t.direction}|${t.resolution}`;

function fold(
  into: Map<string, RollupPoint>,
  tags: SeriesTags,
  startMs: number,
  kwh: number | null,
  intervals: number,
  quality: string,
): void {
  const key = `${seriesKey(tags)}|${startMs}`;
  const had = into.get(key);
  into.set(key, {
    pseudonym: tags.pseudonym,
    area: tags.area,
    commodity: tags.commodity,
    direction: tags.direction,
    resolution: tags.resolution,
    startMs,
    kwh: had?.kwh == null ? kwh : kwh === null ? had.kwh : nano(had.kwh + kwh),
    intervals: (had?.intervals ?? 0) + intervals,
    quality: had ? weakerQuality(had.quality, quality) : quality,
  });
}

/**
 * How many intervals of `resolution` a window of `windowMs` holds when none is missing
 * (PT15M: 4 an hour, 92/96/100 a local day of 23/24/25 hours); undefined for a resolution
 * not known here, whose windows are then not judged.
 */
export function expectedIntervals(resolution: string, windowMs: number): number | undefined {
  const stepMs = RESOLUTION_MS[resolution as Resolution];
  return stepMs === undefined ? undefined : Math.floor(windowMs / stepMs);
}

/**
 * A window with fewer intervals than it holds says `missing`: an interval that never
 * arrived is as missing as one that arrived marked missing (weakest quality wins).
 */
function withGaps(p: RollupPoint, windowMs: number): RollupPoint {
  const expected = expectedIntervals(p.resolution, windowMs);
  if (expected === undefined || p.intervals >= expected) return p;
  return { ...p, quality: weakerQuality(p.quality, 'missing') };
}

/** Hourly rollups of raw readings (each reading falls in the UTC hour of its start). */
export function rollupHours(readings: Iterable<RawReading>): RollupPoint[] {
  const out = new Map<string, RollupPoint>();
  for (const r of readings) {
    fold(out, r, r.timeMs - (r.timeMs % HOUR_MS), r.kwh, 1, r.quality);
  }
  return [...out.values()].map((p) => withGaps(p, HOUR_MS));
}

/**
 * Daily rollups (Finnish local days, stamped with their start) of hourly ones; a day
 * missing an hour (no point) or an interval of one says `missing`.
 */
export function rollupDays(hours: Iterable<RollupPoint>): RollupPoint[] {
  const out = new Map<string, RollupPoint>();
  for (const h of hours) fold(out, h, helsinkiDayStart(h.startMs), h.kwh, h.intervals, h.quality);
  return [...out.values()].map((d) => withGaps(d, nextHelsinkiDay(d.startMs) - d.startMs));
}

/** Day starts by hour: a backfill or a year of rollups asks the same hours many times. */
const dayStartOfHour = new Map<number, number>();

/** The instant 00:00 Europe/Helsinki of the local day holding `ms` (whole hours). */
export function helsinkiDayStart(ms: number): number {
  const hourStart = ms - (ms % HOUR_MS);
  const known = dayStartOfHour.get(hourStart);
  if (known !== undefined) return known;
  const t = computeDayStart(hourStart);
  if (dayStartOfHour.size >= 200_000) dayStartOfHour.clear();
  dayStartOfHour.set(hourStart, t);
  return t;
}

function computeDayStart(hourStart: number): number {
  const { hour } = helsinkiParts(hourStart);
  // A DST day has 23 or 25 hours: step back by the wall-clock hours, then settle on 00:00.
  let t = hourStart - hour * HOUR_MS;
  for (const step of [0, HOUR_MS, -HOUR_MS]) {
    const p = helsinkiParts(t + step);
    if (p.hour === 0 && helsinkiParts(t + step + HOUR_MS).hour !== 0) {
      t += step;
      break;
    }
  }
  return t;
}

/** The start of the next local day after the one starting at `dayStartMs`. */
export function nextHelsinkiDay(dayStartMs: number): number {
  return helsinkiDayStart(dayStartMs + 26 * HOUR_MS);
}

/** A rollup point as a line (precision ms); kwh is left out when every interval was missing. */
export function rollupLine(measurement: string, p: RollupPoint): string {
  const kwh = p.kwh === null ? '' : `kwh=${p.kwh},`;
  return (
    `${measurement},area=${escapeTag(p.area)},commodity=${escapeTag(p.commodity)},direction=${escapeTag(p.direction)}` +
    `,pseudonym=${escapeTag(p.pseudonym)},resolution=${escapeTag(p.resolution)} ` +
    `${kwh}intervals=${p.intervals}i,quality=${quoteStringField(p.quality)} ${p.startMs}`
  );
}

/**
 * The hours (epoch ms) the lines of a line-protocol body are timestamped in (precision ms):
 * what a write touched, for the rollups to re-aggregate. Reads each line's trailing
 * timestamp straight from the bytes: it runs for every chunk the ingest worker writes, and
 * decoding the chunk to a string and slicing every line cost as much as building it.
 */
export function hoursOfLines(body: string | Buffer): Set<number> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const hours = new Set<number>();
  let lastHour = Number.NaN;
  let end = bytes.length;
  while (end > 0) {
    // The line is bytes[start, end): its timestamp is the digits after its last space.
    let at = end - 1;
    let ts = 0;
    let scale = 1;
    while (at >= 0 && (bytes[at] as number) >= 0x30 && (bytes[at] as number) <= 0x39) {
      ts += ((bytes[at] as number) - 0x30) * scale;
      scale *= 10;
      at--;
    }
    const digits = end - 1 - at;
    if (at >= 0 && bytes[at] === 0x2d) {
      ts = -ts;
      at--;
    }
    const start = bytes.lastIndexOf(0x0a, Math.max(at, 0)) + 1;
    if (digits > 0 && (at < start || bytes[at] === 0x20) && Number.isSafeInteger(ts)) {
      const hour = ts - (ts % HOUR_MS);
      if (hour !== lastHour) hours.add(hour);
      lastHour = hour;
    }
    end = start - 1;
  }
  return hours;
}

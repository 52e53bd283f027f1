import { helsinkiParts } from '../analytics/helsinki-time.js';
import { escapeTag, quoteStringField } from '../line-protocol.js';
import { HOUR_MS, helsinkiDayStart, type RollupPoint, weakerQuality } from './rollup.js';

/**
 * Per-area rollups: for each area, commodity, direction and hour (or Finnish local day), the
 * kWh sum and intervals of every series there, the weakest quality, the number of distinct
 * customers (`customers`, series of one customer counted once) and the largest single
 * customer's kWh (`top`). The k and dominance rules then need no per-series scan for most
 * groups (see `areaVerdict`). Pure; the rollup runner writes them beside the per-series ones.
 */
export const AREA_HOURLY_MEASUREMENT = 'energy_area_1h';
export const AREA_DAILY_MEASUREMENT = 'energy_area_1d';

export interface AreaTags {
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
}

export interface AreaRollupPoint extends AreaTags {
  readonly startMs: number;
  readonly kwh: number;
  readonly intervals: number;
  readonly quality: string;
  /** Distinct customers with a kWh value in the window. */
  readonly customers: number;
  /** The largest single customer's |kWh| in the window. */
  readonly top: number;
}

const nano = (v: number) => Math.round(v * 1e9) / 1e9;

/**
 * Area points of per-series points of one kind (hourly or daily): a series whose every
 * interval was missing (kwh null) adds its intervals and quality but no customer.
 * `ownerOf` gives each pseudonym's customer key (the same for series of one customer).
 */
export function rollupAreas(
  points: Iterable<RollupPoint>,
  ownerOf: (pseudonym: string) => string,
): AreaRollupPoint[] {
  const cells = new Map<
    string,
    {
      tags: AreaTags;
      startMs: number;
      kwh: number;
      intervals: number;
      quality: string;
      per: Map<string, number>;
    }
  >();
  for (const p of points) {
    const key = `${p.area}|${p.commodity}|${p.direction}|${p.startMs}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        tags: { area: p.area, commodity: p.commodity, direction: p.direction },
        startMs: p.startMs,
        kwh: 0,
        intervals: 0,
        quality: p.quality,
        per: new Map(),
      };
      cells.set(key, cell);
    }
    cell.intervals += p.intervals;
    cell.quality = weakerQuality(cell.quality, p.quality);
    if (p.kwh === null) continue;
    cell.kwh += p.kwh;
    const owner = ownerOf(p.pseudonym);
    cell.per.set(owner, (cell.per.get(owner) ?? 0) + p.kwh);
  }
  return [...cells.values()].map((c) => {
    let top = 0;
    for (const v of c.per.values()) top = Math.max(top, Math.abs(v));
    return {
      ...c.tags,
      startMs: c.startMs,
      kwh: nano(c.kwh),
      intervals: c.intervals,
      quality: c.quality,
      customers: c.per.size,
      top: nano(top),
    };
  });
}

/**
 * An area point as a line (precision ms). Hourly points carry no load-profile cell: the
 * cell follows from the hour (`loadProfileCell`), and a tag would make 48 series of one.
 */
export function areaRollupLine(measurement: string, p: AreaRollupPoint): string {
  return (
    `${measurement},area=${escapeTag(p.area)},commodity=${escapeTag(p.commodity)},direction=${escapeTag(p.direction)} ` +
    `kwh=${p.kwh},intervals=${p.intervals}i,quality=${quoteStringField(p.quality)},customers=${p.customers}i,top=${p.top} ${p.startMs}`
  );
}

/** 00:00 Europe/Helsinki on the first day of the local month holding `ms`. */
export function helsinkiMonthStart(ms: number): number {
  const { year, month } = helsinkiParts(ms);
  // 22:00 UTC the day before is 00:00 (EET) or 01:00 (EEST) on the 1st: its day start is it.
  return helsinkiDayStart(Date.UTC(Number(year), Number(month) - 1, 1) - 2 * HOUR_MS);
}

/** The start of the local month after the one starting at `monthStartMs`. */
export function nextHelsinkiMonth(monthStartMs: number): number {
  return helsinkiMonthStart(monthStartMs + 32 * 24 * HOUR_MS);
}

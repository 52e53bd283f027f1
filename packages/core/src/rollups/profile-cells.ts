import { hourOfDay } from '../analytics/helsinki-time.js';
import { escapeTag } from '../line-protocol.js';
import type { AreaTags } from './area-rollup.js';

/*
 * The load profile's cells: a Helsinki local hour of day on a weekday or a weekend day,
 * 48 in all, indexed 0..47 as `weekend * 24 + hour`. The monthly profile points carry their
 * cell in their time, not in a tag: a point stands at its local month's start plus its cell
 * index in seconds. A Helsinki month starts on a whole hour (UTC+2 or UTC+3), so the seconds
 * of the minute give the cell back, and a year of an area is 5 series (one per field)
 * instead of 240: InfluxDB's cost of a read grows with the series it opens (~70 µs each).
 */

/** The monthly profile cells, the cell in the time (see above). */
export const AREA_PROFILE_CELLS_MEASUREMENT = 'energy_area_cells_1mo';
/**
 * The former monthly profile cells, one series per cell (a `cell` tag). Nothing reads them;
 * the rollup runner deletes them from every month it recomputes (`rollup backfill`).
 */
export const LEGACY_AREA_PROFILE_MEASUREMENT = 'energy_area_profile_1mo';

/** How many cells a load profile has (24 hours, weekday and weekend). */
export const PROFILE_CELLS = 48;

/** Cell indices by hour (Intl's time-zone parts are slow, and a year asks each hour often). */
const indexOfHour = new Map<number, number>();

/** The load profile's cell index of an hour: `weekend * 24 + local hour` (Helsinki). */
export function profileCellIndex(startMs: number): number {
  const known = indexOfHour.get(startMs);
  if (known !== undefined) return known;
  const { hour, weekend } = hourOfDay(startMs);
  const index = (weekend ? 24 : 0) + hour;
  if (indexOfHour.size >= 200_000) indexOfHour.clear();
  indexOfHour.set(startMs, index);
  return index;
}

const NAMES = Array.from(
  { length: PROFILE_CELLS },
  (_, i) => `${i < 24 ? 'weekday' : 'weekend'}-${String(i % 24).padStart(2, '0')}`,
);
const INDEX_OF_NAME = new Map(NAMES.map((name, i) => [name, i]));

/**
 * A cell's name, `weekday-14`, `weekend-03`.
 * @throws RangeError when the index is not 0..47.
 */
export function profileCellName(index: number): string {
  const name = NAMES[index];
  if (name === undefined) throw new RangeError(`no load-profile cell ${index}`);
  return name;
}

/**
 * A cell's index from its name.
 * @throws RangeError when the name is not a cell's.
 */
export function profileCellOfName(name: string): number {
  const index = INDEX_OF_NAME.get(name);
  if (index === undefined) throw new RangeError(`no load-profile cell ${name}`);
  return index;
}

/** The load profile's cell of an hour: `weekday-14`, `weekend-03` (Helsinki local hour). */
export function loadProfileCell(startMs: number): string {
  return profileCellName(profileCellIndex(startMs));
}

/** The time of a monthly profile point: its local month's start plus its cell in seconds. */
export function profileCellTime(monthStartMs: number, cell: number): number {
  return monthStartMs + cell * 1000;
}

/** The cell of a monthly profile point's time (its seconds of the minute). */
export function profileCellOfTime(ms: number): number {
  return Math.floor(ms / 1000) % 60;
}

/**
 * The load profile's monthly cells per area: the hourly area points of one Finnish local
 * month summed per cell (`kwh`, `top`, `customers` as customer-hours, `windows` as hours
 * with data) and the largest hourly count (`customersMax`), stamped with the month's start
 * plus the cell (see above). A year's profile then reads 12 × 48 points per area and field
 * instead of 8,760 hours.
 */
export interface ProfileMonthPoint extends AreaTags {
  readonly cell: string;
  readonly startMs: number;
  readonly kwh: number;
  readonly top: number;
  readonly customers: number;
  readonly customersMax: number;
  readonly windows: number;
}

const nano = (v: number) => Math.round(v * 1e9) / 1e9;

/**
 * A monthly profile point as a line (precision ms); `startMs` is the month's start.
 * @throws RangeError when the cell is not a cell's name.
 */
export function profileMonthLine(p: ProfileMonthPoint): string {
  const time = profileCellTime(p.startMs, profileCellOfName(p.cell));
  return (
    `${AREA_PROFILE_CELLS_MEASUREMENT},area=${escapeTag(p.area)},commodity=${escapeTag(p.commodity)},direction=${escapeTag(p.direction)} ` +
    `kwh=${nano(p.kwh)},top=${nano(p.top)},customers=${p.customers}i,customersMax=${p.customersMax}i,windows=${p.windows}i ${time}`
  );
}

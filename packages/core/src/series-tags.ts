import { escapeTag } from './line-protocol.js';
import type { Direction, Resolution } from './reading.js';

/*
 * The tags of a raw series (readings in `energy`, gap reports in `data_gaps`), the one place
 * their names and values are spelled. InfluxDB pays per byte of a line, not per field or tag
 * (measured, see README *Storage layout*), so they are short:
 *
 *   energy,d=c,p=<pseudonym>,r=15 kwh=0.231 1767225600000
 *
 *   tag  meaning      values
 *   d    direction    c = consumption, p = production
 *   p    pseudonym    the series' pseudonym, 32 lowercase hex digits
 *   r    resolution   15 = PT15M, 60 = PT1H (the step in minutes)
 *
 * No area: a pseudonym belongs to one contract period, whose area the registry holds, so
 * readers that group by area (the rollups, the grid-planning series) ask the registry.
 * An older layout spelled the tags out (`area`, `direction`, `pseudonym`, `resolution`);
 * `migrate-layout` rewrites it (see `OLD_SERIES_TAG`).
 */

/** Tag names of a raw series (sorted as line protocol wants them: d, p, r). */
export const SERIES_TAG = { direction: 'd', pseudonym: 'p', resolution: 'r' } as const;

/** The earlier layouts' tag names (every one of them had a `direction` and a `pseudonym`). */
export const OLD_SERIES_TAG = {
  area: 'area',
  direction: 'direction',
  pseudonym: 'pseudonym',
  resolution: 'resolution',
} as const;

const DIRECTION_CODE: Record<Direction, string> = { consumption: 'c', production: 'p' };
const RESOLUTION_CODE: Record<Resolution, string> = { PT15M: '15', PT1H: '60' };
const DIRECTION_OF = new Map(Object.entries(DIRECTION_CODE).map(([k, v]) => [v, k]));
const RESOLUTION_OF = new Map(Object.entries(RESOLUTION_CODE).map(([k, v]) => [v, k]));

/** A direction's tag value (an unknown one is kept as it is, escaped). */
export function directionTag(direction: string): string {
  return DIRECTION_CODE[direction as Direction] ?? escapeTag(direction);
}

/** A resolution's tag value (an unknown one is kept as it is, escaped). */
export function resolutionTag(resolution: string): string {
  return RESOLUTION_CODE[resolution as Resolution] ?? escapeTag(resolution);
}

/** The direction a `d` tag value stands for (an unknown value as it is). Never throws. */
export function directionOfTag(value: string): string {
  return DIRECTION_OF.get(value) ?? value;
}

/** The resolution an `r` tag value stands for (an unknown value as it is). Never throws. */
export function resolutionOfTag(value: string): string {
  return RESOLUTION_OF.get(value) ?? value;
}

/** The tag part of a raw series' lines: `<measurement>,d=…,p=…,r=…`. */
export function seriesPrefix(
  measurement: string,
  pseudonym: string,
  direction: string,
  resolution: string,
): string {
  return (
    `${measurement},${SERIES_TAG.direction}=${directionTag(direction)}` +
    `,${SERIES_TAG.pseudonym}=${escapeTag(pseudonym)},${SERIES_TAG.resolution}=${resolutionTag(resolution)}`
  );
}

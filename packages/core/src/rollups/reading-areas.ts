import type { RawReading } from './rollup.js';

/** A stored reading as the raw series give it: no area (the registry holds each pseudonym's). */
export type SeriesReading = Omit<RawReading, 'area'>;

/** The area a series the registry does not know (any more) is counted in. */
export const UNKNOWN_AREA = 'unknown';

/**
 * Readings with the area of their pseudonym's contract (`areaOf`, from the registry), or
 * `unknown` when it has none: the rollups group by area. Never throws.
 */
export function withAreas(
  readings: readonly SeriesReading[],
  areaOf: ReadonlyMap<string, string>,
): RawReading[] {
  return readings.map((r) => ({ ...r, area: areaOf.get(r.pseudonym) ?? UNKNOWN_AREA }));
}

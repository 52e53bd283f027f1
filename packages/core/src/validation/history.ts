/**
 * The per-series history that spike detection compares against: an exponentially weighted
 * mean of recently accepted measured energy, normalised to a 15-minute interval so that a
 * series keeps one history even if its resolution changes.
 */
import { RESOLUTION_MS, type Resolution } from '../reading.js';

export interface SeriesHistory {
  readonly meanWh: number;
  readonly count: number;
}

/** Weight of the newest value; 0.1 follows a site's drift over a few days of readings. */
export const HISTORY_ALPHA = 0.1;
/** Accepted values needed before the mean is trusted enough to call anything a spike. */
export const SPIKE_MIN_HISTORY = 8;
/** A value above this many times the usual energy is a spike. */
export const SPIKE_FACTOR = 10;
/** Floor for the mean (Wh per 15 min) so near-zero sites do not flag every small load. */
export const SPIKE_FLOOR_WH = 50;

const BASE_MS = RESOLUTION_MS.PT15M;

/** How many 15-minute intervals one interval of this resolution spans (PT1H → 4). */
export function resolutionScale(resolution: Resolution): number {
  return RESOLUTION_MS[resolution] / BASE_MS;
}

/**
 * The energy above which a value at this resolution is a spike, or undefined while the
 * history is too short to judge. Never throws.
 */
export function spikeThresholdWh(
  history: SeriesHistory | undefined,
  resolution: Resolution,
): number | undefined {
  if (history === undefined || history.count < SPIKE_MIN_HISTORY) return undefined;
  return SPIKE_FACTOR * Math.max(history.meanWh, SPIKE_FLOOR_WH) * resolutionScale(resolution);
}

/**
 * Folds one accepted measured value into the history (EWMA, alpha 0.1; the first value
 * sets the mean). Returns a new object; the argument is not changed. Never throws.
 */
export function updateHistory(
  history: SeriesHistory | undefined,
  quantityWh: number,
  resolution: Resolution,
): SeriesHistory {
  const normalisedWh = quantityWh / resolutionScale(resolution);
  if (history === undefined || history.count === 0) return { meanWh: normalisedWh, count: 1 };
  return {
    meanWh: history.meanWh + HISTORY_ALPHA * (normalisedWh - history.meanWh),
    count: history.count + 1,
  };
}

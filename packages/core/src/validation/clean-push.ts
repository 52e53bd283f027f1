import { type IntervalBatch, RESOLUTION_MS } from '../reading.js';
import { pushSpikes, resolutionScale, SPIKE_FACTOR, SPIKE_FLOOR_WH } from './spike.js';
import { FUTURE_SKEW_MS } from './validate-batch.js';

/**
 * Whether `validateBatch(batch, { nowMs })` can only keep every interval as it was sent:
 * a preliminary push whose starts follow one another one step apart on the grid, none in
 * the future, each with a value of 0 or more and no head-end flag, and no spike among its
 * values (looked for, as validateBatch does, only when a value is high enough to be one).
 * Then every interval validates as measured, unflagged and preliminary, with no gap,
 * duplicate or correction, and the ingest hot path writes the sent intervals as they are
 * instead of building a validated copy of each (nearly every push is like this). False
 * says nothing: such a push is validated as usual.
 */
export function isCleanPush(batch: IntervalBatch, nowMs: number): boolean {
  if (batch.dataStatus !== 'preliminary') return false;
  const intervals = batch.intervals;
  if (intervals.length === 0) return false;
  const stepMs = RESOLUTION_MS[batch.resolution];
  // validateBatch looks for spikes only when a value is above this (anySpikeHigh).
  const spikeFree = SPIKE_FACTOR * SPIKE_FLOOR_WH * resolutionScale(batch.resolution);
  const futureFrom = nowMs + FUTURE_SKEW_MS;
  let expected = intervals[0]?.startMs ?? Number.NaN;
  if (!(expected % stepMs === 0)) return false;
  let high = false;
  for (let k = 0; k < intervals.length; k++) {
    const i = intervals[k] as (typeof intervals)[number];
    const q = i.quantityWh;
    if (i.startMs !== expected || i.flags.length !== 0 || q === null || !(q >= 0 && q < Infinity))
      return false;
    if (q > spikeFree) high = true;
    expected += stepMs;
  }
  // Ascending: the last start is the latest.
  if (!((intervals.at(-1)?.startMs ?? Number.NaN) < futureFrom)) return false;
  return !(
    high &&
    pushSpikes(
      intervals.map((i) => i.quantityWh),
      batch.resolution,
    ).includes(true)
  );
}

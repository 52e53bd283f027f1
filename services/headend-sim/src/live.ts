import type { IntervalBatchCodec } from '@lukema/schemas';
import { BURST_MS } from './bursts.js';
import type { SimulatedSite } from './population.js';
import { type SimulatedMessage, simulate } from './simulate.js';

export interface LiveOptions {
  readonly sites: readonly SimulatedSite[];
  /** How many ticks it takes every site to push the current window once. */
  readonly slices: number;
  readonly badShare: number;
  readonly seed: number;
}

/** The last 6-hour window that has ended at `nowMs`: its start. */
export function lastCompleteWindow(nowMs: number): number {
  return Math.floor(nowMs / BURST_MS) * BURST_MS - BURST_MS;
}

/**
 * The pushes of one live tick: the sites of slice `tick mod slices` send the last complete
 * window. A site sends the same window again each round until a newer one has ended, as a
 * head-end re-sending would; the values depend only on the window and the slice, so a
 * re-sent push is identical (a no-op for the pipeline, not a correction).
 */
export function livePushes(
  codec: IntervalBatchCodec,
  nowMs: number,
  tick: number,
  options: LiveOptions,
): SimulatedMessage[] {
  const slices = Math.max(1, options.slices);
  const slice = tick % slices;
  const sites = options.sites.filter((_, i) => i % slices === slice);
  const window = lastCompleteWindow(nowMs);
  return [
    ...simulate(codec, {
      sites,
      fromMs: window,
      toMs: window + BURST_MS,
      badShare: options.badShare,
      lateShare: 0,
      seed: (options.seed * 7919 + slice * 104_729 + window / BURST_MS) >>> 0,
    }),
  ];
}

import {
  type IntervalBatch,
  type IntervalValue,
  RESOLUTION_MS,
  type Resolution,
} from '@lukema/core';
import type { SimulatedSite } from './population.js';
import { intervalWh } from './profiles.js';
import type { Random } from './random.js';

export const BURST_MS = 6 * 3_600_000;

/**
 * The batches a head-end pushes for one site for one 6-hour read window starting at
 * `windowStartMs`: consumption, and production when the site has solar.
 */
export function burstForSite(
  site: SimulatedSite,
  windowStartMs: number,
  rnd: Random,
  options: { resolution?: Resolution; headEndId?: string; sentAtMs?: number } = {},
): IntervalBatch[] {
  const resolution = options.resolution ?? 'PT15M';
  const step = RESOLUTION_MS[resolution];
  const count = BURST_MS / step;
  const series = (kind: 'consumption' | 'production'): IntervalBatch => {
    const intervals: IntervalValue[] = [];
    for (let i = 0; i < count; i++) {
      const startMs = windowStartMs + i * step;
      const profile = kind === 'production' ? 'solar' : site.profile;
      intervals.push({
        startMs,
        quantityWh: intervalWh(profile, startMs, step, site.scale, rnd()),
        flags: [],
      });
    }
    return {
      messageId: `${site.meteringPointId}-${kind[0]}-${windowStartMs}`,
      headEndId: options.headEndId ?? 'sim-headend-1',
      meteringPointId: site.meteringPointId,
      direction: kind,
      resolution,
      sentAtMs: options.sentAtMs ?? windowStartMs + BURST_MS,
      intervals,
    };
  };
  return site.solar ? [series('consumption'), series('production')] : [series('consumption')];
}

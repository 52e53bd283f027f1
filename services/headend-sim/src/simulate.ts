import type { OutgoingMessage } from '@lukema/platform';
import type { IntervalBatchCodec } from '@lukema/schemas';
import { BURST_MS, burstForSite } from './bursts.js';
import { applyFault, type FaultKind, pickFault } from './faults.js';
import type { SimulatedSite } from './population.js';
import { seededRandom } from './random.js';

export interface SimulationOptions {
  readonly sites: readonly SimulatedSite[];
  /** First 6-hour window (aligned down to a window boundary). */
  readonly fromMs: number;
  /** End of the period (exclusive). */
  readonly toMs: number;
  /** Share of messages with a fault, 0..1. */
  readonly badShare: number;
  /** Share of windows sent late (after the next window), 0..1. */
  readonly lateShare: number;
  readonly seed: number;
}

export interface SimulatedMessage extends OutgoingMessage {
  readonly readings: number;
  readonly fault: FaultKind | null;
}

/**
 * Yields the head-end pushes for every site and 6-hour window of the period, in the order a
 * head-end would send them: window by window, a share of them late.
 */
export function* simulate(
  codec: IntervalBatchCodec,
  options: SimulationOptions,
): Generator<SimulatedMessage> {
  const rnd = seededRandom(options.seed);
  const first = Math.floor(options.fromMs / BURST_MS) * BURST_MS;
  let held: SimulatedMessage[] = [];
  for (let window = first; window < options.toMs; window += BURST_MS) {
    const late: SimulatedMessage[] = [];
    for (const site of options.sites) {
      for (const batch of burstForSite(site, window, rnd)) {
        const fault = rnd() < options.badShare ? pickFault(rnd) : null;
        const faulty = fault ? applyFault(batch, fault, rnd) : batch;
        const value = fault === 'garbage' ? Buffer.from('{"not":"avro"}') : codec.encode(faulty);
        const message = {
          key: batch.meteringPointId,
          value,
          readings: faulty.intervals.length,
          fault,
        };
        if (rnd() < options.lateShare) late.push(message);
        else yield message;
      }
    }
    yield* held;
    held = late;
  }
  yield* held;
}

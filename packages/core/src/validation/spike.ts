/**
 * Spike detection that depends on nothing but the push itself.
 *
 * A spike check against a running history of the series (an EWMA shared by the workers)
 * judges a reading by whatever happened to arrive before it: a late night push of zeros
 * drags the history of a solar point down and the next daytime push is flagged. Any check
 * that looks at other pushes either depends on arrival order or has to re-judge readings
 * already stored when an earlier push arrives late. So a reading is judged against its
 * neighbours in the same push only: the same push gives the same flags whenever, and in
 * whatever order, it arrives, and a push never changes another push's flags.
 */
import { RESOLUTION_MS, type Resolution } from '../reading.js';

/** A value above this many times the level of its neighbours is a spike. */
export const SPIKE_FACTOR = 10;
/** Floor for the level (Wh per 15 min) so near-zero stretches do not flag every small load. */
export const SPIKE_FLOOR_WH = 50;
/** Neighbours a value is compared with: this many on each side, fewer near a push's edge. */
export const SPIKE_NEIGHBOURS_PER_SIDE = 4;
/** Usable neighbours needed before anything is called a spike (a push of at least 5 values). */
export const SPIKE_MIN_NEIGHBOURS = 4;

/** How many 15-minute intervals one interval of this resolution spans (PT1H → 4). */
export function resolutionScale(resolution: Resolution): number {
  return RESOLUTION_MS[resolution] / RESOLUTION_MS.PT15M;
}

/**
 * Median of the first `count` (> 0) values of `values` (mean of the two middle values for an
 * even count), sorting them in place: at most 8 values, so an insertion sort with no
 * comparator call or new array (this runs for every high reading of every push).
 */
function median(values: number[], count: number): number {
  for (let i = 1; i < count; i++) {
    const v = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > v) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = v;
  }
  const mid = count >> 1;
  return count % 2 === 1
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/**
 * Which values of one push are spikes. `valuesWh` are the push's values in start order;
 * null marks a value that is neither judged nor used as a neighbour (missing, negative or
 * not finite). A value is a spike when it exceeds SPIKE_FACTOR times the median of its
 * nearest usable neighbours in the push (up to SPIKE_NEIGHBOURS_PER_SIDE on each side),
 * with SPIKE_FLOOR_WH as the least level. The median makes a run of two or three spikes no
 * cover for each other, while a ramp (sunrise, sunset) or a step (a heater switched on) has
 * neighbours of its own size. Near a push's edge the window is not moved inwards: values
 * further away (a night of zeros after a sunset ramp) say less about a value than the
 * nearest ones. Pushes with fewer than SPIKE_MIN_NEIGHBOURS + 1 usable values are not
 * judged. Pure; never throws.
 */
export function pushSpikes(
  valuesWh: readonly (number | null)[],
  resolution: Resolution,
): boolean[] {
  const spikes = valuesWh.map(() => false);
  const usable: number[] = [];
  valuesWh.forEach((v, i) => {
    if (v !== null && Number.isFinite(v) && v >= 0) usable.push(i);
  });
  const n = usable.length;
  if (n < SPIKE_MIN_NEIGHBOURS + 1) return spikes;
  const floor = SPIKE_FLOOR_WH * resolutionScale(resolution);
  const neighbours = new Array<number>(2 * SPIKE_NEIGHBOURS_PER_SIDE).fill(0);
  for (let k = 0; k < n; k++) {
    const index = usable[k] as number;
    const value = valuesWh[index] as number;
    // The level is at least the floor: a value within FACTOR × floor is never a spike, so
    // nearly every reading is judged without its neighbours' median.
    if (value <= SPIKE_FACTOR * floor) continue;
    const from = Math.max(0, k - SPIKE_NEIGHBOURS_PER_SIDE);
    const to = Math.min(n - 1, k + SPIKE_NEIGHBOURS_PER_SIDE);
    let count = 0;
    for (let j = from; j <= to; j++) {
      if (j !== k) neighbours[count++] = valuesWh[usable[j] as number] as number;
    }
    if (value > SPIKE_FACTOR * Math.max(median(neighbours, count), floor)) spikes[index] = true;
  }
  return spikes;
}

/**
 * Gap detection: grid slots between the first and last on-grid interval of a batch that the
 * head-end did not send. Gaps are reported so estimation can fill them later; nothing is
 * invented here.
 */

export interface Gap {
  readonly startMs: number;
  readonly intervals: number;
}

/** Whether a start lies on the UTC grid of the given interval length. */
export function isOnGrid(startMs: number, resolutionMs: number): boolean {
  // NaN and fractional starts leave a non-zero (or NaN) remainder, so they land on no slot.
  return startMs % resolutionMs === 0;
}

/**
 * Finds runs of absent grid slots between the smallest and largest on-grid start. Off-grid
 * starts are ignored: they neither open nor fill a gap. Works on arithmetic, not by
 * enumerating slots, so a large hole costs nothing. Never throws.
 */
export function findGaps(startsMs: Iterable<number>, resolutionMs: number): Gap[] {
  const onGrid = [...new Set(startsMs)]
    .filter((startMs) => isOnGrid(startMs, resolutionMs))
    .sort((a, b) => a - b);
  const gaps: Gap[] = [];
  let previous: number | undefined;
  for (const current of onGrid) {
    if (previous !== undefined) {
      const absent = (current - previous) / resolutionMs - 1;
      if (absent > 0) gaps.push({ startMs: previous + resolutionMs, intervals: absent });
    }
    previous = current;
  }
  return gaps;
}

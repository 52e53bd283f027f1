/** A revision record as read back: the window's last instant, its span in steps back, its revision. */
export interface RevisionRecord {
  readonly endMs: number;
  readonly span: number;
  readonly rev: number;
}

/**
 * The revision of each reading at `times` (ascending) of one series: the newest record
 * covering it (the newest push that wrote its window, which the revision rule let stand);
 * 0 when none does (a reading written without records). Never throws.
 */
export function revisionsAt(
  records: readonly RevisionRecord[],
  stepMs: number,
  times: readonly number[],
): number[] {
  const out = new Array<number>(times.length).fill(0);
  for (const r of records) {
    const start = r.endMs - r.span * stepMs;
    // First reading at or after the record's start.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((times[mid] as number) < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < times.length && (times[i] as number) <= r.endMs; i++) {
      if (r.rev > (out[i] as number)) out[i] = r.rev;
    }
  }
  return out;
}

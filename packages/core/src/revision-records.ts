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

/**
 * A push window's id, as the revision gate and the window digests know it: the series and
 * the span from its first interval to its last.
 */
export const pushWindowId = (
  meteringPointId: string,
  direction: string,
  resolution: string,
  startMs: number,
  endMs: number,
): string => `${meteringPointId}|${direction}|${resolution}|${startMs}|${endMs}`;

/** Consecutive stored readings of one revision: the push window that wrote them, as far as they tell. */
export interface RevisionRun {
  readonly rev: number;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Stored readings of one series in runs of one revision, in time order: each run is the
 * part of a push window that the readings kept (the whole window when it was stored whole,
 * as head-ends send and re-send whole windows), so re-released readings can face the
 * revision rule by the same window ids as pushes. Two adjacent windows sent with the same
 * `sentAt` come out as one run.
 */
export function revisionRuns(
  readings: ReadonlyArray<{ readonly startMs: number; readonly revision: number }>,
): RevisionRun[] {
  const sorted = [...readings].sort((a, b) => a.startMs - b.startMs);
  const runs: RevisionRun[] = [];
  let run: { rev: number; startMs: number; endMs: number } | undefined;
  for (const r of sorted) {
    if (run && run.rev === r.revision) run.endMs = r.startMs;
    else {
      if (run) runs.push(run);
      run = { rev: r.revision, startMs: r.startMs, endMs: r.startMs };
    }
  }
  if (run) runs.push(run);
  return runs;
}

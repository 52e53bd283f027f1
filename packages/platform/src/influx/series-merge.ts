import { decodeReadingMarks, type ReadingRun, type RunMark } from '@lukema/core';

/**
 * The merge of one series' `kwh` and `q` columns (each in time order, each time once) into
 * readings in time order: a time with a value and no mark has mark code 0 (measured,
 * preliminary: the sparse layout stores no mark for those), one with a mark and no value
 * has no quantity (NaN). One implementation for
 * the merge as the response arrives (`SeriesStream`, a prefix at a time) and the merge after
 * the read (`ExportSeriesParser.runs`), so that both give the same readings.
 */
export class SeriesMerge {
  startMs = new Float64Array(0);
  wh = new Float64Array(0);
  mark = new Uint32Array(0);
  /** Readings merged. */
  n = 0;
  /** Values and marks taken from the columns so far. */
  private i = 0;
  private j = 0;
  readonly table: RunMark[] = [];
  private readonly index = new Map<number, number>();
  private lastQ = Number.NaN;
  private lastMark = 0;

  /**
   * Merges the columns' entries not taken yet with times up to `limit` (inclusive). The
   * columns may have grown since the last call; what was taken must not have changed.
   * @throws RangeError when a kwh value is not a finite number.
   */
  take(
    kt: Float64Array,
    kv: Float64Array,
    mt: Float64Array,
    mv: Float64Array,
    limit: number,
  ): void {
    // Sized once for the columns as they are (the stream's first call has the whole `kwh`
    // table): a reading with both a value and a mark is one, not two.
    if (this.startMs.length === 0) this.grow(kt.length + mt.length);
    let { startMs, wh, mark } = this;
    let { i, j, n } = this;
    while (i < kt.length || j < mt.length) {
      const a = i < kt.length ? (kt[i] as number) : Number.POSITIVE_INFINITY;
      const b = j < mt.length ? (mt[j] as number) : Number.POSITIVE_INFINITY;
      const t = Math.min(a, b);
      if (t > limit) break;
      if (n === startMs.length) {
        this.n = n;
        this.grow(n + (kt.length - i) + (mt.length - j));
        ({ startMs, wh, mark } = this);
      }
      startMs[n] = t;
      if (a === t) {
        const v = kv[i++] as number;
        if (!Number.isFinite(v)) throw new RangeError(`not a finite quantity: ${v}`);
        wh[n] = v;
      } else wh[n] = Number.NaN;
      const q = b === t ? (mv[j++] as number) : 0;
      if (q !== this.lastQ) {
        this.lastQ = q;
        this.lastMark = this.markOf(q);
      }
      mark[n++] = this.lastMark;
    }
    this.i = i;
    this.j = j;
    this.n = n;
  }

  /** The readings merged, as one run (views of the arrays, valid until the next `take`). */
  run(series: Pick<ReadingRun, 'meteringPointId' | 'direction' | 'resolution'>): ReadingRun {
    return {
      meteringPointId: series.meteringPointId,
      direction: series.direction,
      resolution: series.resolution,
      length: this.n,
      startMs: this.startMs.subarray(0, this.n),
      wh: this.wh.subarray(0, this.n),
      mark: this.mark.subarray(0, this.n),
      marks: this.table,
    };
  }

  private markOf(q: number): number {
    let m = this.index.get(q);
    if (m === undefined) {
      const d = decodeReadingMarks(q);
      m = this.table.length;
      this.table.push({ quality: d.quality, dataStatus: d.dataStatus ?? null });
      this.index.set(q, m);
    }
    return m;
  }

  /** Room for `need` readings, the `n` merged kept (arrays grow at least by half). */
  private grow(need: number): void {
    const size = Math.max(need, Math.ceil(this.startMs.length * 1.5), 1024);
    const grow = <A extends Float64Array | Uint32Array>(old: A, make: (n: number) => A): A => {
      const next = make(size);
      next.set(old.subarray(0, this.n));
      return next;
    };
    this.startMs = grow(this.startMs, (k) => new Float64Array(k));
    this.wh = grow(this.wh, (k) => new Float64Array(k));
    this.mark = grow(this.mark, (k) => new Uint32Array(k));
  }
}

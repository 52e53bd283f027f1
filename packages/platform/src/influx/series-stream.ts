import { decodeReadingMarks, type ReadingRun, type RunMark, type RunSink } from '@lukema/core';
import type { Series } from './export-series-parser.js';

/**
 * One query's series merged (its `kwh` and `q` columns, by time) as the parser reads them,
 * and handed to a sink: the readings up to the last mark read, complete once the `kwh`
 * table has come whole (InfluxDB lists a series' `kwh` table before its `q`). The merge is
 * `ExportSeriesParser.runs`'s, so the sink sees the readings `runs` gives, in order; when
 * that cannot be promised (a second series, times out of order or twice, `kwh` after the
 * marks began), it stops and ends the sink with `whole` false.
 */
export class SeriesStream {
  private broken = false;
  private series: Series | null = null;
  private ended = false;
  private started = false;
  private kwhSeen = 0;
  private i = 0;
  private j = 0;
  private n = 0;
  private startMs = new Float64Array(0);
  private wh = new Float64Array(0);
  private mark = new Uint32Array(0);
  private readonly table: RunMark[] = [];
  private readonly index = new Map<number, number>();
  private lastQ = Number.NaN;
  private lastMark = 0;

  constructor(
    private readonly sink: RunSink,
    private readonly meteringPointId: string,
  ) {}

  /**
   * Merges what `series` holds beyond what was handed on, up to its last mark (or all at
   * the `end`), and hands it to the sink. `null`: several series (not streamed).
   * @throws RangeError when a kwh value is not a finite number (as `runs` does).
   */
  flush(series: Series | null | undefined, end: boolean): void {
    if (this.ended) return;
    if (!this.broken && series !== undefined) {
      if (series !== null) this.series = series;
      this.merge(series, end);
    }
    if (end) {
      this.ended = true;
      this.sink.end(!this.broken);
    }
  }

  private merge(series: Series | null, end: boolean): void {
    if (
      series === null ||
      !series.kwh.ordered ||
      !series.marks.ordered ||
      (this.started && series.kwh.length !== this.kwhSeen)
    ) {
      this.broken = true;
      return;
    }
    const marks = series.marks;
    if (!end && marks.length === 0) return;
    this.started = true;
    this.kwhSeen = series.kwh.length;
    const kt = series.kwh.times;
    const kv = series.kwh.values;
    const mt = marks.times;
    const mv = marks.values;
    const limit = end ? Number.POSITIVE_INFINITY : (mt[mt.length - 1] as number);
    this.reserve(kt.length - this.i + mt.length - this.j);
    const { startMs, wh, mark } = this;
    const from = this.n;
    let { i, j, n } = this;
    while (i < kt.length || j < mt.length) {
      const a = i < kt.length ? (kt[i] as number) : Number.POSITIVE_INFINITY;
      const b = j < mt.length ? (mt[j] as number) : Number.POSITIVE_INFINITY;
      const t = Math.min(a, b);
      if (t > limit) break;
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
    if (n === from) return;
    const run: ReadingRun = {
      meteringPointId: this.meteringPointId,
      direction: series.direction,
      resolution: series.resolution,
      length: n,
      startMs,
      wh,
      mark,
      marks: this.table,
    };
    this.sink.add(run, from, n);
  }

  /**
   * The readings merged, once the read ended with every one handed on: what `runs` gives
   * for the response (one run; none when it held no reading). Undefined otherwise.
   */
  merged(): ReadingRun[] | undefined {
    if (!this.ended || this.broken) return undefined;
    if (this.series === null) return this.n === 0 ? [] : undefined;
    return [
      {
        meteringPointId: this.meteringPointId,
        direction: this.series.direction,
        resolution: this.series.resolution,
        length: this.n,
        startMs: this.startMs.subarray(0, this.n),
        wh: this.wh.subarray(0, this.n),
        mark: this.mark.subarray(0, this.n),
        marks: this.table,
      },
    ];
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

  /** Room for `more` readings after the `n` merged (arrays grow by doubling). */
  private reserve(more: number): void {
    const need = this.n + more;
    if (need <= this.startMs.length) return;
    const size = Math.max(need, this.startMs.length * 2, 1024);
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

import type { ReadingRun, RunSink } from '@lukema/core';
import type { Series } from './export-series-parser.js';
import { SeriesMerge } from './series-merge.js';

/**
 * One query's series merged (its `kwh` and `q` columns, by time) as the parser reads them,
 * and handed to a sink: the readings up to the last mark read, complete once the `kwh`
 * table has come whole (InfluxDB lists a series' `kwh` table before its `q`). The merge is
 * `ExportSeriesParser.runs`'s (one `SeriesMerge`), so the sink sees the readings `runs`
 * gives, in order; when that cannot be promised (a second series, times out of order or
 * twice, `kwh` after the marks began), it stops and ends the sink with `whole` false.
 */
export class SeriesStream {
  private broken = false;
  private series: Series | null = null;
  private ended = false;
  private started = false;
  private kwhSeen = 0;
  private readonly merger = new SeriesMerge();

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
    const mt = marks.times;
    const limit = end ? Number.POSITIVE_INFINITY : (mt[mt.length - 1] as number);
    const merger = this.merger;
    const from = merger.n;
    merger.take(series.kwh.times, series.kwh.values, mt, marks.values, limit);
    if (merger.n === from) return;
    // The whole arrays, `length` readings of them: no view per piece.
    const run: ReadingRun = {
      meteringPointId: this.meteringPointId,
      direction: series.direction,
      resolution: series.resolution,
      length: merger.n,
      startMs: merger.startMs,
      wh: merger.wh,
      mark: merger.mark,
      marks: merger.table,
    };
    this.sink.add(run, from, merger.n);
  }

  /**
   * The readings merged, once the read ended with every one handed on: what `runs` gives
   * for the response (one run; none when it held no reading). Undefined otherwise.
   */
  merged(): ReadingRun[] | undefined {
    if (!this.ended || this.broken) return undefined;
    if (this.series === null) return this.merger.n === 0 ? [] : undefined;
    return [
      this.merger.run({
        meteringPointId: this.meteringPointId,
        direction: this.series.direction,
        resolution: this.series.resolution,
      }),
    ];
  }
}

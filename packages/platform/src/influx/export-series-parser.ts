import {
  type Direction,
  decodeReadingMarks,
  type ExportReading,
  type Resolution,
} from '@lukema/core';

/**
 * Reads the annotated CSV of `seriesReadingsFlux` as it streams in, synchronously (no object
 * or promise per row), and assembles one series' export readings at the end.
 */
export class ExportSeriesParser {
  // Per series (direction|resolution): kwh and marks (`q`) by time. A reading has either or
  // both (a missing one has no kwh, a measured preliminary one no q).
  private readonly kwh = new Map<string, Map<string, string>>();
  private readonly marks = new Map<string, Map<string, string>>();
  private cols: Record<string, number> | null = null;
  private sink: ((time: string, value: string) => void) | null = null;
  private table = '';

  /**
   * One CSV line. Each table is one field of one series; its group columns are the same on
   * every row, so they are read once per table. Values hold no commas here (numbers).
   */
  readonly line = (line: string): void => {
    if (line === '') {
      this.cols = null;
      this.sink = null;
      return;
    }
    if (line.charCodeAt(0) === 35 /* # */) return;
    const cells = line.split(',');
    if (!this.cols) {
      this.cols = Object.fromEntries(cells.map((c, i) => [c, i]));
      return;
    }
    const c = this.cols;
    // Tables of the same schema share one header: a new `table` value starts a new series.
    const tableId = cells[c.table ?? -1] ?? '';
    if (tableId !== this.table) {
      this.table = tableId;
      this.sink = null;
    }
    if (!this.sink) this.sink = this.sinkFor(cells, c);
    this.sink(cells[c._time ?? -1] ?? '', cells[c._value ?? -1] ?? '');
  };

  private sinkFor(cells: string[], c: Record<string, number>) {
    const series = `${cells[c.direction ?? -1]}|${cells[c.resolution ?? -1]}`;
    const byField = cells[c._field ?? -1] === 'kwh' ? this.kwh : this.marks;
    const map = byField.get(series) ?? new Map<string, string>();
    byField.set(series, map);
    return (t: string, v: string) => void map.set(t, v);
  }

  /** The readings seen, in time order, attributed to `meteringPointId`. */
  readings(meteringPointId: string): ExportReading[] {
    const out: ExportReading[] = [];
    const decoded = new Map<string, ReturnType<typeof decodeReadingMarks>>();
    const marksOf = (q: string | undefined) => {
      const key = q ?? '0';
      let m = decoded.get(key);
      if (!m) {
        m = decodeReadingMarks(Number(key));
        decoded.set(key, m);
      }
      return m;
    };
    for (const series of new Set([...this.kwh.keys(), ...this.marks.keys()])) {
      const [direction, resolution] = series.split('|') as [Direction, Resolution];
      const kwhByTime = this.kwh.get(series) ?? new Map<string, string>();
      const marksByTime = this.marks.get(series) ?? new Map<string, string>();
      const times = new Set([...kwhByTime.keys(), ...marksByTime.keys()]);
      for (const time of times) {
        const value = kwhByTime.get(time);
        const m = marksOf(marksByTime.get(time));
        out.push({
          meteringPointId,
          direction,
          resolution,
          startMs: Date.parse(time),
          quantityWh: value === undefined ? null : Math.round(Number(value) * 1000),
          quality: m.quality,
          dataStatus: m.dataStatus ?? null,
        });
      }
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }
}

import {
  DATA_STATUS_FIELD,
  type DataStatus,
  type Direction,
  type ExportReading,
  type Quality,
  type Resolution,
} from '@lukema/core';

type QualityTable = { series: string; times: string[]; values: string[] };

/**
 * Reads the annotated CSV of `seriesReadingsFlux` as it streams in, synchronously (no object
 * or promise per row), and assembles one series' export readings at the end.
 */
export class ExportSeriesParser {
  // Per series (direction|resolution): kwh and Datahub status by time, and the quality rows
  // in order.
  private readonly kwh = new Map<string, Map<string, string>>();
  private readonly status = new Map<string, Map<string, string>>();
  private readonly quality: QualityTable[] = [];
  private cols: Record<string, number> | null = null;
  private sink: ((time: string, value: string) => void) | null = null;
  private table = '';

  /**
   * One CSV line. Each table is one field of one series; its group columns are the same on
   * every row, so they are read once per table. Values hold no commas here (numbers,
   * quality and status words).
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
    const field = cells[c._field ?? -1];
    if (field === 'kwh' || field === DATA_STATUS_FIELD) {
      const byField = field === 'kwh' ? this.kwh : this.status;
      const map = byField.get(series) ?? new Map<string, string>();
      byField.set(series, map);
      return (t: string, v: string) => void map.set(t, v);
    }
    const table: QualityTable = { series, times: [], values: [] };
    this.quality.push(table);
    return (t: string, v: string) => {
      table.times.push(t);
      table.values.push(v);
    };
  }

  /** The readings seen, in time order, attributed to `meteringPointId`. */
  readings(meteringPointId: string): ExportReading[] {
    const out: ExportReading[] = [];
    for (const { series, times, values } of this.quality) {
      const [direction, resolution] = series.split('|') as [Direction, Resolution];
      const kwhByTime = this.kwh.get(series);
      const statusByTime = this.status.get(series);
      for (let i = 0; i < times.length; i++) {
        const time = times[i] as string;
        const value = kwhByTime?.get(time);
        out.push({
          meteringPointId,
          direction,
          resolution,
          startMs: Date.parse(time),
          quantityWh: value === undefined ? null : Math.round(Number(value) * 1000),
          quality: values[i] as Quality,
          dataStatus: (statusByTime?.get(time) as DataStatus | undefined) ?? null,
        });
      }
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }
}

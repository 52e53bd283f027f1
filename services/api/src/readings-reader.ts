import {
  DATA_STATUS_FIELD,
  type DataStatus,
  type Direction,
  type ExportReading,
  type Quality,
  type Resolution,
} from '@lukema/core';
import { type FluxReader, fluxString } from '@lukema/platform';

/**
 * Reads one series' readings for an export, fast: one narrow query for the fields, its
 * CSV lines parsed synchronously as they stream in (no object or promise per row). The
 * period bounds are the contract's.
 */
export async function readSeries(
  flux: FluxReader,
  bucket: string,
  pseudonym: string,
  meteringPointId: string,
  startMs: number,
  endMs: number | null,
): Promise<ExportReading[]> {
  const stop = new Date(endMs ?? Date.UTC(2200, 0, 1)).toISOString();
  // Per series (direction|resolution): kwh and Datahub status by time, and the quality rows
  // in order.
  const kwh = new Map<string, Map<string, string>>();
  const status = new Map<string, Map<string, string>>();
  const quality: Array<{ series: string; times: string[]; values: string[] }> = [];
  await flux.eachLine(
    `from(bucket: "${fluxString(bucket)}") |> range(start: ${new Date(startMs).toISOString()}, stop: ${stop})
      |> filter(fn: (r) => r._measurement == "energy" and r.pseudonym == "${fluxString(pseudonym)}" and (r._field == "kwh" or r._field == "quality" or r._field == "${DATA_STATUS_FIELD}"))
      |> keep(columns: ["_time", "_value", "_field", "direction", "resolution"])`,
    tableParser(kwh, status, quality),
  );
  const out: ExportReading[] = [];
  for (const { series, times, values } of quality) {
    const [direction, resolution] = series.split('|') as [Direction, Resolution];
    const kwhByTime = kwh.get(series);
    const statusByTime = status.get(series);
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

/**
 * A line handler for Flux annotated CSV. Each table is one field of one series; its group
 * columns are the same on every row, so they are read once per table.
 * Values hold no commas here (numbers, quality and status words).
 */
function tableParser(
  kwh: Map<string, Map<string, string>>,
  status: Map<string, Map<string, string>>,
  quality: Array<{ series: string; times: string[]; values: string[] }>,
): (line: string) => void {
  let cols: Record<string, number> | null = null;
  let sink: ((time: string, value: string) => void) | null = null;
  let table = '';
  return (line) => {
    if (line === '') {
      cols = null;
      sink = null;
      return;
    }
    if (line.charCodeAt(0) === 35 /* # */) return;
    const cells = line.split(',');
    if (!cols) {
      cols = Object.fromEntries(cells.map((c, i) => [c, i]));
      return;
    }
    const c = cols;
    // Tables of the same schema share one header: a new `table` value starts a new series.
    const tableId = cells[c.table ?? -1] ?? '';
    if (tableId !== table) {
      table = tableId;
      sink = null;
    }
    if (!sink) {
      const series = `${cells[c.direction ?? -1]}|${cells[c.resolution ?? -1]}`;
      const field = cells[c._field ?? -1];
      if (field === 'kwh' || field === DATA_STATUS_FIELD) {
        const byField = field === 'kwh' ? kwh : status;
        const map = byField.get(series) ?? new Map<string, string>();
        byField.set(series, map);
        sink = (t, v) => map.set(t, v);
      } else {
        const table = { series, times: [] as string[], values: [] as string[] };
        quality.push(table);
        sink = (t, v) => {
          table.times.push(t);
          table.values.push(v);
        };
      }
    }
    sink(cells[c._time ?? -1] ?? '', cells[c._value ?? -1] ?? '');
  };
}

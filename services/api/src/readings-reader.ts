import type { Direction, ExportReading, Quality, Resolution } from '@lukema/core';
import type { FluxReader } from '@lukema/platform';

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/**
 * Reads one series' readings for an export, fast: two narrow queries (kwh, quality) parsed
 * from the raw CSV lines instead of objects per row. The period bounds are the contract's.
 */
export async function readSeries(
  flux: FluxReader,
  bucket: string,
  pseudonym: string,
  meteringPointId: string,
  startMs: number,
  endMs: number | null,
): Promise<ExportReading[]> {
  const range = `range(start: ${new Date(startMs).toISOString()}, stop: ${new Date(endMs ?? Date.UTC(2200, 0, 1)).toISOString()})`;
  const query = (field: string) =>
    `from(bucket: "${esc(bucket)}") |> ${range}
      |> filter(fn: (r) => r._measurement == "energy" and r.pseudonym == "${esc(pseudonym)}" and r._field == "${field}")
      |> keep(columns: ["_time", "_value", "direction", "resolution"])`;
  const quality = new Map<string, string>();
  for await (const row of csvRows(flux.lines(query('quality'))))
    quality.set(`${row.series}|${row.time}`, row.value);
  const out: ExportReading[] = [];
  const kwh = new Map<string, string>();
  for await (const row of csvRows(flux.lines(query('kwh'))))
    kwh.set(`${row.series}|${row.time}`, row.value);
  for (const [key, q] of quality) {
    const [direction, resolution, time] = key.split('|') as [string, string, string];
    const value = kwh.get(key);
    out.push({
      meteringPointId,
      direction: direction as Direction,
      resolution: resolution as Resolution,
      startMs: Date.parse(time),
      quantityWh: value === undefined ? null : Math.round(Number(value) * 1000),
      quality: q as Quality,
    });
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

/** Parses Flux annotated CSV for tables with _time, _value, direction, resolution. */
async function* csvRows(lines: AsyncIterable<string>) {
  let cols: Record<string, number> | null = null;
  for await (const line of lines) {
    if (line === '' || line.startsWith('#')) {
      if (line === '') cols = null;
      continue;
    }
    const cells = line.split(',');
    if (!cols) {
      cols = Object.fromEntries(cells.map((c, i) => [c, i]));
      continue;
    }
    const direction = cells[cols.direction ?? -1] ?? '';
    const resolution = cells[cols.resolution ?? -1] ?? '';
    yield {
      series: `${direction}|${resolution}`,
      time: cells[cols._time ?? -1] ?? '',
      value: cells[cols._value ?? -1] ?? '',
    };
  }
}

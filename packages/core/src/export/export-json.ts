/**
 * The machine-readable access export (data portability): the subject's contracts, every
 * reading grouped by metering point and series, and the disclosures of their data.
 */
import { ByteWriter } from './byte-writer.js';
import { type ReadingRun, readingRuns } from './reading-runs.js';
import { writeRows } from './row-bytes.js';
import type { AccessExportInput, ExportContract, ExportDisclosure } from './types.js';

export const ACCESS_EXPORT_FORMAT = 'lukema-access-export';
/** 2: each reading carries its Datahub status as a fourth element. */
export const ACCESS_EXPORT_VERSION = 2;

interface Series {
  readonly head: string;
  readonly out: ByteWriter;
  rows: number;
}

// Fields are copied by name so that nothing the caller's objects happen to carry beyond
// the documented shape (another customer's data, internal ids) reaches the export.
function contractJson(c: ExportContract): ExportContract {
  return {
    contractId: c.contractId,
    siteId: c.siteId,
    area: c.area,
    meteringPointIds: [...c.meteringPointIds],
    startDate: c.startDate,
    endDate: c.endDate,
  };
}

function disclosureJson(d: ExportDisclosure): ExportDisclosure {
  return { at: d.at, role: d.role, recipient: d.recipient, purpose: d.purpose, action: d.action };
}

/**
 * Groups runs of readings into `meteringPoints[].series[]` in one pass, in order of first
 * appearance, keeping the readings' order within a series. Rows are written as JSON bytes
 * directly (see ByteWriter): 210k small arrays for JSON.stringify cost several times more.
 */
function meteringPointsJson(runs: readonly ReadingRun[]): Buffer[] {
  const points = new Map<string, Map<string, Series>>();
  for (const run of runs) {
    const current = seriesOf(points, run);
    exportJsonRows(current.out, run, 0, run.length, current.rows === 0);
    current.rows += run.length;
  }
  const grouped = new Map<string, Array<{ head: string; rows: Buffer[] }>>();
  for (const [meteringPointId, series] of points) {
    grouped.set(
      meteringPointId,
      [...series.values()].map((s) => ({ head: s.head, rows: [s.out.toBuffer()] })),
    );
  }
  return pointsParts(grouped);
}

/** `[{meteringPointId, series: [{…, readings: [rows]}]}]` around rows already written. */
function pointsParts(
  points: ReadonlyMap<string, ReadonlyArray<{ head: string; rows: readonly Buffer[] }>>,
): Buffer[] {
  const parts: Buffer[] = [Buffer.from('[')];
  let firstPoint = true;
  for (const [meteringPointId, series] of points) {
    parts.push(
      Buffer.from(
        `${firstPoint ? '' : ','}{"meteringPointId":${JSON.stringify(meteringPointId)},"series":[`,
      ),
    );
    firstPoint = false;
    let firstSeries = true;
    for (const s of series) {
      parts.push(Buffer.from(`${firstSeries ? '' : ','}${s.head}`));
      let firstRows = true;
      for (const rows of s.rows) {
        if (rows.length === 0) continue;
        if (!firstRows) parts.push(COMMA_BYTES);
        parts.push(rows);
        firstRows = false;
      }
      parts.push(Buffer.from(']}'));
      firstSeries = false;
    }
    parts.push(Buffer.from(']}'));
  }
  parts.push(Buffer.from(']'));
  return parts;
}

const COMMA_BYTES = Buffer.from(',');

/**
 * Appends the JSON rows (`["start",kWh,"quality",status]`, comma-separated) of `run`'s
 * readings `from` (inclusive) `to` (exclusive); `first` when no row of the series precedes
 * them. What the export writes for them, for a file built a slice at a time.
 * @throws RangeError when a reading has a non-finite startMs.
 */
export function exportJsonRows(
  out: ByteWriter,
  run: ReadingRun,
  from: number,
  to: number,
  first: boolean,
): void {
  writeRows(null, out, run, from, to, first);
}

function seriesHead(run: Pick<ReadingRun, 'direction' | 'resolution'>): string {
  return `{"direction":${JSON.stringify(run.direction)},"resolution":${JSON.stringify(run.resolution)},"readings":[`;
}

/** Bytes of a typical row, to size a series' buffer once (it grows when needed). */
const ROW_BYTES = 56;

function seriesOf(points: Map<string, Map<string, Series>>, run: ReadingRun): Series {
  let series = points.get(run.meteringPointId);
  if (series === undefined) {
    series = new Map();
    points.set(run.meteringPointId, series);
  }
  const key = `${run.direction} ${run.resolution}`;
  let found = series.get(key);
  if (found === undefined) {
    found = { head: seriesHead(run), out: new ByteWriter(run.length * ROW_BYTES + 64), rows: 0 };
    series.set(key, found);
  }
  return found;
}

/**
 * Formats the access export as compact JSON: `{ format: 'lukema-access-export',
 * version: 2, customerId, requestId, generatedAt, contracts, meteringPoints: [{
 * meteringPointId, series: [{ direction, resolution, readings: [[startIso, kWh | null,
 * quality, dataStatus | null], …] }] }], disclosures }`. dataStatus is the Datahub status
 * the head-end sent (`preliminary` or `final`), null when it sent none. kWh numbers keep three decimals (`1.230`).
 * The policy is not included; the HTML report carries it.
 * @throws RangeError when a reading has a non-finite startMs or quantityWh.
 */
export function exportJson(input: AccessExportInput): string {
  return exportJsonBytes(input).toString('utf8');
}

/**
 * `exportJson` as UTF-8 bytes, to be written to a file as they are.
 * @throws RangeError when a reading has a non-finite startMs or quantityWh.
 */
export function exportJsonBytes(input: AccessExportInput): Buffer {
  return exportJsonRunsBytes(input, readingRuns(input.readings));
}

/**
 * `exportJsonBytes` with the readings given as runs (see ReadingRun); `input.readings` is
 * not read.
 * @throws RangeError when a reading has a non-finite startMs.
 */
export function exportJsonRunsBytes(
  input: Omit<AccessExportInput, 'readings'>,
  runs: readonly ReadingRun[],
): Buffer {
  return Buffer.concat(exportJsonRunsParts(input, runs));
}

/**
 * `exportJsonRunsBytes` as the parts that make the file in order (each series' readings
 * one part), to be written one after another without joining them (a ~10 MiB copy).
 * @throws RangeError when a reading has a non-finite startMs.
 */
export function exportJsonRunsParts(
  input: Omit<AccessExportInput, 'readings'>,
  runs: readonly ReadingRun[],
): Buffer[] {
  return documentParts(input, meteringPointsJson(runs));
}

/**
 * `exportJsonRunsParts` of one run whose rows were written already (`exportJsonRows`), in
 * slices: each a part of the rows, in order (empty slices allowed).
 */
export function exportJsonOneSeriesParts(
  input: Omit<AccessExportInput, 'readings'>,
  run: Pick<ReadingRun, 'meteringPointId' | 'direction' | 'resolution'>,
  slices: readonly Buffer[],
): Buffer[] {
  const points = new Map([[run.meteringPointId, [{ head: seriesHead(run), rows: slices }]]]);
  return documentParts(input, pointsParts(points));
}

function documentParts(input: Omit<AccessExportInput, 'readings'>, points: Buffer[]): Buffer[] {
  const head = JSON.stringify({
    format: ACCESS_EXPORT_FORMAT,
    version: ACCESS_EXPORT_VERSION,
    customerId: input.customerId,
    requestId: input.requestId,
    generatedAt: input.generatedAt,
    contracts: input.contracts.map(contractJson),
  });
  const disclosures = JSON.stringify(input.disclosures.map(disclosureJson));
  // head ends with `}`; the readings and disclosures are spliced in before it.
  return [
    Buffer.from(`${head.slice(0, -1)},"meteringPoints":`),
    ...points,
    Buffer.from(`,"disclosures":${disclosures}}`),
  ];
}

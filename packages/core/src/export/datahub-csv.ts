/**
 * The Finnish Datahub CSV layout customers already know from Fingrid's own service, so an
 * access export opens in the same spreadsheets and tools.
 */
import { ByteWriter } from './byte-writer.js';
import { type ReadingRun, readingRuns, runsLength } from './reading-runs.js';
import { writeRows } from './row-bytes.js';
import type { ExportReading } from './types.js';

export const DATAHUB_CSV_HEADER =
  'MeteringPointGSRN;Product Type;Resolution;Unit Type;Reading Type;Start Time;Quantity;Quality;Status';

const BOM = '\uFEFF';
/**
 * Bytes of a long row (a GSRN, production, kWh in the thousands: ~100), to size the buffer
 * once for the whole export: a buffer that has to grow at the end copies ~20 MiB.
 */
const ROW_BYTES = 104;

/**
 * Formats readings as Datahub CSV: a UTF-8 BOM, the header, then one `;`-separated row per
 * reading in the order given, every line ended by CRLF. Quantity is kWh with three
 * decimals and a decimal comma, empty when missing; Start Time is UTC; Status is the
 * Datahub status the head-end sent (`preliminary` or `final`), empty when it sent none.
 * @throws RangeError when a reading has a non-finite startMs or quantityWh.
 */
export function datahubCsv(readings: readonly ExportReading[]): string {
  return datahubCsvBytes(readings).toString('utf8');
}

/**
 * `datahubCsv` as UTF-8 bytes, to be written to a file as they are (no string of the
 * whole file, no second encoding).
 * @throws RangeError when a reading has a non-finite startMs or quantityWh.
 */
export function datahubCsvBytes(readings: readonly ExportReading[]): Buffer {
  return datahubCsvRunsBytes(readingRuns(readings));
}

/**
 * `datahubCsvBytes` of readings given as runs (see ReadingRun): no object per reading.
 * @throws RangeError when a reading has a non-finite startMs.
 */
export function datahubCsvRunsBytes(runs: readonly ReadingRun[]): Buffer {
  const out = new ByteWriter(runsLength(runs) * ROW_BYTES + 256);
  out.cached(DATAHUB_CSV_HEAD);
  for (const run of runs) datahubCsvRows(out, run, 0, run.length);
  return out.toBuffer();
}

/** The BOM and header line that start the Datahub CSV. */
export const DATAHUB_CSV_HEAD = `${BOM}${DATAHUB_CSV_HEADER}\r\n`;

/**
 * Appends the Datahub CSV rows of `run`'s readings `from` (inclusive) `to` (exclusive):
 * what `datahubCsvRunsBytes` writes for them, for a file built a slice at a time.
 * @throws RangeError when a reading has a non-finite startMs.
 */
export function datahubCsvRows(out: ByteWriter, run: ReadingRun, from: number, to: number): void {
  writeRows(out, null, run, from, to, false);
}

/** Bytes of a long Datahub CSV row, to size a buffer for a number of readings. */
export const DATAHUB_CSV_ROW_BYTES = ROW_BYTES;

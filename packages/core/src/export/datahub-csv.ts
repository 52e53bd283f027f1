/**
 * The Finnish Datahub CSV layout customers already know from Fingrid's own service, so an
 * access export opens in the same spreadsheets and tools.
 */
import { ByteWriter } from './byte-writer.js';
import type { ExportReading } from './types.js';

export const DATAHUB_CSV_HEADER =
  'MeteringPointGSRN;Product Type;Resolution;Unit Type;Reading Type;Start Time;Quantity;Quality;Status';

/** GS1 product code of active energy. */
const ACTIVE_ENERGY = '8716867000030';
const BOM = '\uFEFF';
const SEMICOLON = 59;
/** Bytes of a typical row, to size the buffer once for the whole export. */
const ROW_BYTES = 90;

// Ids are GSRNs from the registry, but a stray `;`, quote or line break must not shift
// columns; checked once per series, not per row.
function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

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
  const out = new ByteWriter(readings.length * ROW_BYTES + 256);
  out.cached(`${BOM}${DATAHUB_CSV_HEADER}\r\n`);
  let last: ExportReading | undefined;
  let prefix = '';
  // The end of a row, `;quality;status\r\n`, as bytes: the same as the last row's mostly.
  let suffix = out.encodedOf('');
  for (const r of readings) {
    if (
      last === undefined ||
      r.meteringPointId !== last.meteringPointId ||
      r.resolution !== last.resolution ||
      r.direction !== last.direction
    ) {
      prefix = `${csvField(r.meteringPointId)};${ACTIVE_ENERGY};${r.resolution};kWh;${r.direction};`;
    }
    if (last === undefined || r.quality !== last.quality || r.dataStatus !== last.dataStatus) {
      suffix = out.encodedOf(`;${r.quality};${r.dataStatus || ''}\r\n`);
    }
    last = r;
    out.prefixedUtcSeconds(prefix, r.startMs);
    out.byte(SEMICOLON);
    if (r.quantityWh !== null) out.kwh(r.quantityWh, ',');
    out.bytes(suffix);
  }
  return out.toBuffer();
}

/**
 * The machine-readable access export (data portability): the subject's contracts, every
 * reading grouped by metering point and series, and the disclosures of their data.
 */
import { formatWhAsKwh, utcSecondsFormatter } from './format.js';
import type {
  AccessExportInput,
  ExportContract,
  ExportDisclosure,
  ExportReading,
} from './types.js';

export const ACCESS_EXPORT_FORMAT = 'lukema-access-export';
export const ACCESS_EXPORT_VERSION = 1;

interface Series {
  readonly head: string;
  readonly rows: string[];
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
 * Groups readings into `meteringPoints[].series[]` in one pass, in order of first
 * appearance, keeping the readings' order within a series. Rows are written as JSON text
 * directly: building 210k small arrays for JSON.stringify costs several times more.
 */
function meteringPointsJson(readings: readonly ExportReading[]): string {
  const points = new Map<string, Map<string, Series>>();
  const qualities = new Map<string, string>();
  const startIso = utcSecondsFormatter();
  let last: Series | undefined;
  let lastPoint = '';
  let lastDirection = '';
  let lastResolution = '';
  for (const r of readings) {
    if (
      last === undefined ||
      r.meteringPointId !== lastPoint ||
      r.direction !== lastDirection ||
      r.resolution !== lastResolution
    ) {
      lastPoint = r.meteringPointId;
      lastDirection = r.direction;
      lastResolution = r.resolution;
      const lastKey = `${r.direction} ${r.resolution}`;
      let series = points.get(lastPoint);
      if (series === undefined) {
        series = new Map();
        points.set(lastPoint, series);
      }
      last = series.get(lastKey);
      if (last === undefined) {
        const head = `{"direction":${JSON.stringify(r.direction)},"resolution":${JSON.stringify(r.resolution)},"readings":[`;
        last = { head, rows: [] };
        series.set(lastKey, last);
      }
    }
    let quality = qualities.get(r.quality);
    if (quality === undefined) {
      quality = JSON.stringify(r.quality);
      qualities.set(r.quality, quality);
    }
    const kwh = r.quantityWh === null ? 'null' : formatWhAsKwh(r.quantityWh, '.');
    last.rows.push(`["${startIso(r.startMs)}",${kwh},${quality}]`);
  }
  const out: string[] = [];
  for (const [meteringPointId, series] of points) {
    const parts = [...series.values()].map((s) => `${s.head}${s.rows.join(',')}]}`);
    out.push(
      `{"meteringPointId":${JSON.stringify(meteringPointId)},"series":[${parts.join(',')}]}`,
    );
  }
  return `[${out.join(',')}]`;
}

/**
 * Formats the access export as compact JSON: `{ format: 'lukema-access-export',
 * version: 1, customerId, requestId, generatedAt, contracts, meteringPoints: [{
 * meteringPointId, series: [{ direction, resolution, readings: [[startIso, kWh | null,
 * quality], …] }] }], disclosures }`. kWh numbers keep three decimals (`1.230`).
 * The policy is not included; the HTML report carries it.
 * @throws RangeError when a reading has a non-finite startMs or quantityWh.
 */
export function exportJson(input: AccessExportInput): string {
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
  return `${head.slice(0, -1)},"meteringPoints":${meteringPointsJson(input.readings)},"disclosures":${disclosures}}`;
}

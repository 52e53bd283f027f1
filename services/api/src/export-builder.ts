import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AccessExportInput,
  type AuditRecord,
  datahubCsvRunsBytes,
  type ExportContract,
  type ExportDisclosure,
  type ExportReading,
  exportJsonOneSeriesParts,
  exportJsonRunsParts,
  htmlReportOfRuns,
  htmlReportOfTotals,
  type Language,
  type PrivacyPolicy,
  RESOLUTION_MS,
  type ReadingRun,
  readingRuns,
  runReadings,
  runsLength,
  SeriesRowsBuilder,
  streamedRows,
} from '@lukema/core';
import type { ReadingsReader, RegistryWriter } from '@lukema/platform';

export const EXPORT_FILES = [
  'access-export.csv',
  'access-export.json',
  'access-report.html',
] as const;
export type ExportFile = (typeof EXPORT_FILES)[number];

export interface ExportBuilderDeps {
  readonly registry: Pick<RegistryWriter, 'contractsOfCustomer'>;
  readonly readings: Pick<ReadingsReader, 'seriesReadings' | 'seriesReadingRuns'>;
  readonly bucket: string;
  readonly policy: PrivacyPolicy;
  /** The audit trail, for the actual disclosures and accesses of this person's data. */
  readonly auditRecords: () => Promise<AuditRecord[]>;
  readonly directory: string;
}

export interface ExportResult {
  readonly found: boolean;
  readonly readings: number;
  readonly contracts: number;
  readonly files: readonly ExportFile[];
}

/** Disclosures of a customer's data as the audit trail recorded them (not the categories). */
export function disclosuresOf(
  records: readonly AuditRecord[],
  customerId: string,
): ExportDisclosure[] {
  return records
    .filter((r) => r.subject === customerId && r.outcome !== 'denied')
    .map((r) => ({
      at: r.at,
      role: r.role,
      recipient: r.actor,
      purpose: r.purpose,
      action: r.action,
    }));
}

type Ordered = Pick<ExportReading, 'meteringPointId' | 'direction' | 'startMs'>;

const byPointDirectionTime = (a: Ordered, b: Ordered): number =>
  a.meteringPointId === b.meteringPointId
    ? a.direction === b.direction
      ? a.startMs - b.startMs
      : a.direction < b.direction
        ? -1
        : 1
    : a.meteringPointId < b.meteringPointId
      ? -1
      : 1;

/** Whether runs, each in time order, are in the order byPointDirectionTime sorts readings. */
function runsSorted(runs: readonly ReadingRun[]): boolean {
  for (let k = 0; k < runs.length; k++) {
    const run = runs[k] as ReadingRun;
    const t = run.startMs;
    for (let i = 1; i < run.length; i++) if ((t[i - 1] as number) > (t[i] as number)) return false;
    const prev = runs[k - 1];
    if (prev === undefined || prev.length === 0 || run.length === 0) continue;
    const a = { ...prev, startMs: prev.startMs[prev.length - 1] as number };
    const b = { ...run, startMs: run.startMs[0] as number };
    if (byPointDirectionTime(a, b) > 0) return false;
  }
  return true;
}

/**
 * Bytes per write call. One call per ~10-20 MiB file measured 50-250 ms of kernel CPU a
 * file now and then on the development machine's ext4 (the writer paying for the page
 * cache's dirty pages), 1 MiB calls ~10 ms per 30 MiB every time.
 */
const WRITE_BYTES = 1 << 20;

/** Writes all of `data` (its parts in order) to a file, in calls of up to 1 MiB. */
async function writeWhole(file: FileHandle | undefined, data: Buffer | Buffer[]): Promise<void> {
  if (file === undefined) return;
  for (const part of Array.isArray(data) ? data : [data]) {
    for (let at = 0; at < part.length; ) {
      const bytes = Math.min(WRITE_BYTES, part.length - at);
      at += (await file.write(part, at, bytes)).bytesWritten;
    }
  }
}

/** Quarter-hours in a contract period up to now: a size for the buffers, not a limit. */
function expectedReadings(startMs: number, endMs: number | null): number {
  const last = Math.min(endMs ?? Date.now(), Date.now());
  return Math.max(0, Math.ceil((last - startMs) / RESOLUTION_MS.PT15M));
}

/**
 * Builds one customer's access export: exactly their readings (every metering point and
 * contract period of theirs, nothing before move-in or after move-out, nothing of another
 * occupant) in the three files. Reports progress from 0 to 100.
 */
export async function buildAccessExport(
  deps: ExportBuilderDeps,
  request: { requestId: string; customerId: string; language?: Language },
  progress: (percent: number) => Promise<void> = async () => undefined,
): Promise<ExportResult> {
  const contracts = (await deps.registry.contractsOfCustomer(request.customerId)).filter(
    (c) => c.status === 'active',
  );
  if (contracts.length === 0) return { found: false, readings: 0, contracts: 0, files: [] };
  // The readings as runs of typed arrays (see ReadingRun): no object per reading.
  let runs: ReadingRun[] = [];
  const series = contracts.flatMap((c) => c.meteringPointIds.map((mp) => ({ c, mp })));
  // One series (the usual customer): its CSV and JSON rows are built while it is read, a
  // slice of the period per query, so that building overlaps InfluxDB's encoding.
  const streamed: SeriesRowsBuilder[] = [];
  for (const [i, { c, mp }] of series.entries()) {
    const pseudonym = c.pseudonyms[mp];
    if (pseudonym) {
      const query = { pseudonym, meteringPointId: mp, startMs: c.startMs, endMs: c.endMs };
      const readings = expectedReadings(c.startMs, c.endMs);
      const slices =
        series.length === 1
          ? (k: number, of: number) => {
              const rows = new SeriesRowsBuilder(Math.ceil(readings / of));
              streamed[k] = rows;
              return rows;
            }
          : undefined;
      const got = deps.readings.seriesReadingRuns
        ? await deps.readings.seriesReadingRuns(deps.bucket, query, slices)
        : readingRuns(await deps.readings.seriesReadings(deps.bucket, query));
      for (const run of got) runs.push(run);
    }
    await progress(Math.round(((i + 1) / series.length) * 80));
  }
  // Built while read: one series, its runs consecutive and in time order (streamedRows
  // checks), so not sorted again. Else each series comes in time order: one metering
  // point's single series is sorted already.
  const built = streamedRows(streamed, runs);
  if (built === null && !runsSorted(runs)) {
    const readings = runs.flatMap(runReadings);
    readings.sort(byPointDirectionTime);
    runs = readingRuns(readings);
  }
  const exportContracts: ExportContract[] = contracts.map((c) => ({
    contractId: c.contractId,
    siteId: c.siteId,
    area: c.area,
    meteringPointIds: c.meteringPointIds,
    startDate: c.startDate,
    endDate: c.endDate,
  }));
  const input: Omit<AccessExportInput, 'readings'> = {
    customerId: request.customerId,
    requestId: request.requestId,
    generatedAt: new Date().toISOString(),
    contracts: exportContracts,
    disclosures: disclosuresOf(await deps.auditRecords(), request.customerId),
    policy: deps.policy,
    ...(request.language === undefined ? {} : { language: request.language }),
  };
  const dir = join(deps.directory, request.requestId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The files are opened first, so that each is written whole by one call on libuv's
  // threads while the next one is built (writeFile writes 512 KiB per turn of the loop).
  const files = await Promise.all(EXPORT_FILES.map((file) => open(join(dir, file), 'w', 0o600)));
  const written: Promise<unknown>[] = [];
  let buildError: unknown;
  try {
    const [csv, json, html] = files;
    const [run] = runs;
    if (built !== null && run !== undefined) {
      written.push(writeWhole(csv, built.csv));
      written.push(writeWhole(json, exportJsonOneSeriesParts(input, run, built.json)));
    } else {
      written.push(writeWhole(csv, datahubCsvRunsBytes(runs)));
      written.push(writeWhole(json, exportJsonRunsParts(input, runs)));
    }
    const report =
      built !== null ? htmlReportOfTotals(input, built.totals) : htmlReportOfRuns(input, runs);
    written.push(writeWhole(html, Buffer.from(report)));
  } catch (error) {
    buildError = error;
  }
  // Every write started is finished (or failed), and every file closed, before this returns.
  const results = await Promise.allSettled(written);
  // The bytes are written: the builders' buffers can serve the next export.
  for (const rows of streamed) rows?.release();
  await Promise.allSettled(files.map((f) => f.close()));
  const failed = results.find((r) => r.status === 'rejected');
  if (buildError !== undefined) throw buildError;
  if (failed) throw failed.reason;
  await progress(100);
  return {
    found: true,
    readings: runsLength(runs),
    contracts: contracts.length,
    files: EXPORT_FILES,
  };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AccessExportInput,
  type AuditRecord,
  datahubCsv,
  type ExportContract,
  type ExportDisclosure,
  type ExportReading,
  exportJson,
  htmlReport,
  type Language,
  type PrivacyPolicy,
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
  readonly readings: Pick<ReadingsReader, 'seriesReadings'>;
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
  const readings: ExportReading[] = [];
  const series = contracts.flatMap((c) => c.meteringPointIds.map((mp) => ({ c, mp })));
  for (const [i, { c, mp }] of series.entries()) {
    const pseudonym = c.pseudonyms[mp];
    if (pseudonym) {
      // A loop, not push(...rows): six years of one point would overflow the call stack.
      for (const row of await deps.readings.seriesReadings(deps.bucket, {
        pseudonym,
        meteringPointId: mp,
        startMs: c.startMs,
        endMs: c.endMs,
      })) {
        readings.push(row);
      }
    }
    await progress(Math.round(((i + 1) / series.length) * 80));
  }
  readings.sort((a, b) =>
    a.meteringPointId === b.meteringPointId
      ? a.direction === b.direction
        ? a.startMs - b.startMs
        : a.direction < b.direction
          ? -1
          : 1
      : a.meteringPointId < b.meteringPointId
        ? -1
        : 1,
  );
  const exportContracts: ExportContract[] = contracts.map((c) => ({
    contractId: c.contractId,
    siteId: c.siteId,
    area: c.area,
    meteringPointIds: c.meteringPointIds,
    startDate: c.startDate,
    endDate: c.endDate,
  }));
  const input: AccessExportInput = {
    customerId: request.customerId,
    requestId: request.requestId,
    generatedAt: new Date().toISOString(),
    contracts: exportContracts,
    readings,
    disclosures: disclosuresOf(await deps.auditRecords(), request.customerId),
    policy: deps.policy,
    ...(request.language === undefined ? {} : { language: request.language }),
  };
  const dir = join(deps.directory, request.requestId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await Promise.all([
    writeFile(join(dir, 'access-export.csv'), datahubCsv(readings), { mode: 0o600 }),
    writeFile(join(dir, 'access-export.json'), exportJson(input), { mode: 0o600 }),
    writeFile(join(dir, 'access-report.html'), htmlReport(input), { mode: 0o600 }),
  ]);
  await progress(100);
  return {
    found: true,
    readings: readings.length,
    contracts: contracts.length,
    files: EXPORT_FILES,
  };
}

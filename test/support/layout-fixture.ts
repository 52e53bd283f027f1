import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type DataStatus,
  type Direction,
  datahubCsv,
  type ExportReading,
  exportJson,
  htmlReport,
  PointLines,
  parsePrivacyPolicy,
  type Quality,
  type Resolution,
} from '@lukema/core';

/**
 * One input stored in both layouts: the export of it must be byte-identical before and
 * after the layout change. Every kind of reading the pipeline stores: measured and final,
 * preliminary, register-derived (no Datahub status), missing (no value), estimated and
 * suspect with flags, an off-grid millisecond instant, a correction's later revision, and
 * both directions and resolutions.
 */
export interface FixtureReading {
  readonly direction: Direction;
  readonly resolution: Resolution;
  readonly startMs: number;
  readonly quantityWh: number | null;
  readonly quality: Quality;
  readonly flags: readonly string[];
  readonly dataStatus?: DataStatus;
  readonly revision: number;
}

export const FIXTURE_MP = '643007574000138589';
export const FIXTURE_START = Date.UTC(2026, 5, 1);
const Q = 900_000;

export function fixtureReadings(): FixtureReading[] {
  const out: FixtureReading[] = [];
  const rev1 = FIXTURE_START + 7 * 3_600_000;
  for (let i = 0; i < 96; i++) {
    const startMs = FIXTURE_START + i * Q;
    const window = Math.floor(i / 24);
    const base = {
      direction: 'consumption' as const,
      resolution: 'PT15M' as const,
      startMs,
      revision: rev1 + window * 6 * 3_600_000 + (i >= 30 && i < 40 ? 86_400_000 : 0),
      dataStatus: (window === 3 ? 'final' : 'preliminary') as DataStatus,
    };
    if (i === 5) out.push({ ...base, quantityWh: null, quality: 'missing', flags: ['missing'] });
    else if (i === 9) out.push({ ...base, quantityWh: null, quality: 'missing', flags: [] });
    else if (i === 17)
      out.push({ ...base, quantityWh: 333, quality: 'estimated', flags: ['estimated'] });
    else if (i === 41)
      out.push({ ...base, quantityWh: 98_765, quality: 'suspect', flags: ['negative', 'spike'] });
    else if (i === 60)
      out.push({ ...base, quantityWh: -12, quality: 'suspect', flags: ['negative'] });
    else if (i === 70)
      out.push({ ...base, quantityWh: 250, quality: 'measured', flags: ['clock_adjusted'] });
    else out.push({ ...base, quantityWh: (i * 37) % 500, quality: 'measured', flags: [] });
  }
  // Off the grid by half a second: stored flagged, at its own millisecond.
  out.push({
    direction: 'consumption',
    resolution: 'PT15M',
    startMs: FIXTURE_START + 96 * Q + 500,
    quantityWh: 7,
    quality: 'suspect',
    flags: ['off_grid'],
    dataStatus: 'preliminary',
    revision: rev1 + 30 * 3_600_000,
  });
  // Production from register reads: hourly, no Datahub status.
  for (let i = 0; i < 24; i++) {
    out.push({
      direction: 'production',
      resolution: 'PT1H',
      startMs: FIXTURE_START + i * 4 * Q,
      quantityWh: i < 6 || i > 20 ? 0 : 100 * i,
      quality: 'measured',
      flags: [],
      revision: rev1 + 24 * 3_600_000,
    });
  }
  return out;
}

/** A reading as the old layout stored it (five tags, string quality, rev on every point). */
export function legacyLine(pseudonym: string, area: string, r: FixtureReading): string {
  const kwh = r.quantityWh === null ? '' : `kwh=${r.quantityWh / 1000},`;
  const flags = r.flags.length === 0 ? '' : `,flags="${r.flags.join(',')}"`;
  const status = r.dataStatus === undefined ? '' : `,data_status="${r.dataStatus}"`;
  return (
    `energy,area=${area},commodity=electricity,direction=${r.direction},pseudonym=${pseudonym},resolution=${r.resolution} ` +
    `${kwh}quality="${r.quality}"${flags}${status},rev=${r.revision}i ${r.startMs}`
  );
}

/** A gap report as the old layout stored it. */
export function legacyGapLine(pseudonym: string, area: string, startMs: number, n: number) {
  return `data_gaps,area=${area},commodity=electricity,direction=consumption,pseudonym=${pseudonym},resolution=PT15M intervals=${n}i ${startMs}`;
}

/**
 * The readings, revision records and a gap report as the second layout stored them: the
 * current fields (`kwh`, `q`, `w`) under spelled-out tags with the area, as the worker wrote
 * `energy,area=001xx,direction=consumption,pseudonym=…,resolution=PT15M kwh=0.231 …`.
 */
export function spelledOutLines(
  pseudonym: string,
  area: string,
  readings: readonly FixtureReading[],
  gap: { startMs: number; intervals: number },
): string[] {
  const lines = new PointLines();
  const period = { contractId: 'K', startMs: 0, endMs: null, pseudonym, area };
  const tags = (measurement: string, direction: string, resolution: string) =>
    `${measurement},area=${area},direction=${direction},pseudonym=${pseudonym},resolution=${resolution}`;
  // The current lines with their tag part swapped (no tag value here has a space).
  const spelled = (line: string, direction: string, resolution: string) =>
    `${tags(line.slice(0, line.indexOf(',')), direction, resolution)}${line.slice(line.indexOf(' '))}`;
  const out = readings.map((r) =>
    spelled(lines.reading(period, r.direction, r.resolution, r), r.direction, r.resolution),
  );
  for (const direction of ['consumption', 'production'] as const) {
    const mine = readings.filter((r) => r.direction === direction);
    const resolution = mine[0]?.resolution ?? 'PT15M';
    for (const record of lines.revisionRecords(period, direction, resolution, mine))
      out.push(spelled(record, direction, resolution));
  }
  out.push(spelled(lines.gap(period, 'consumption', 'PT15M', gap), 'consumption', 'PT15M'));
  return out;
}

const policy = parsePrivacyPolicy(
  readFileSync(new URL('../../services/api/policy/privacy-policy.json', import.meta.url), 'utf8'),
);

/** SHA-256 of each export file built from these readings (fixed request, time and contract). */
export function exportDigests(readings: readonly ExportReading[]): {
  csv: string;
  json: string;
  html: string;
} {
  const input = {
    customerId: 'C-4242',
    requestId: 'REQ-LAYOUT',
    generatedAt: '2026-12-01T00:00:00Z',
    contracts: [
      {
        contractId: 'K-4242',
        siteId: 'S-4242',
        area: '001xx',
        meteringPointIds: [FIXTURE_MP],
        startDate: '2026-01-01',
        endDate: null,
      },
    ],
    readings,
    disclosures: [],
    policy,
  };
  const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
  return {
    csv: sha(datahubCsv(readings)),
    json: sha(exportJson(input)),
    html: sha(htmlReport(input)),
  };
}

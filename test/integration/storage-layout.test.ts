import { randomBytes } from 'node:crypto';
import { GAP_MEASUREMENT, PointLines } from '@lukema/core';
import { UnmigratedLayoutError } from '@lukema/platform';
import { migrateLayout } from '@lukema/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportDigests,
  FIXTURE_MP,
  FIXTURE_START,
  type FixtureReading,
  fixtureReadings,
  legacyGapLine,
  legacyLine,
  spelledOutLines,
} from '../support/layout-fixture.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

/**
 * SHA-256 of the fixture's export files as the code before the layout change produced
 * them (old layout written, read with the old reader, same request and time). The HTML
 * report also prints the privacy notice's texts: when their wording changes, its digest is
 * taken again with the layout-independent part fixed (the notice's analytics paragraph changed
 * with the per-area rollups; with that paragraph as before, the report still gives 02746227…).
 */
const BEFORE = {
  csv: '8c7b1357eb500f159c355760e2b877e56baddd9b49734cf17607018d0b680326',
  json: 'ef15eaad3785b1887f8a8dbe6b8980a7532644e4b3935de457d3294acb2fe9ee',
  html: '0be100c9165b8dc245595d6b6be31021be6eef2bff9ff2e926b50847b005b30f',
};
const DAY = 86_400_000;

describe('the sparse storage layout', () => {
  let stack: TestStack;
  let bucket: string;
  const readings = fixtureReadings();

  const exportOf = async (pseudonym: string) =>
    stack.influx.seriesReadings(bucket, {
      pseudonym,
      meteringPointId: FIXTURE_MP,
      startMs: FIXTURE_START - DAY,
      endMs: null,
    });
  /** What rectification reads back: every field a reading was stored with. */
  const stored = async (pseudonym: string) =>
    (await stack.influx.storedPoints(bucket, pseudonym)).map(({ time, ...p }) => ({
      ...p,
      time: new Date(Date.parse(time)).toISOString(),
    }));
  const expected = readings
    .map((r: FixtureReading) => ({
      time: new Date(r.startMs).toISOString(),
      direction: r.direction,
      resolution: r.resolution,
      kwh: r.quantityWh === null ? null : r.quantityWh / 1000,
      quality: r.quality,
      flags: r.flags.length === 0 ? null : r.flags.join(','),
      rev: r.revision,
      data_status: r.dataStatus ?? null,
    }))
    .sort((a, b) =>
      a.direction === b.direction
        ? Date.parse(a.time) - Date.parse(b.time)
        : a.direction < b.direction
          ? -1
          : 1,
    );
  const sorted = <T extends { direction: string; time: string }>(rows: T[]) =>
    rows.sort((a, b) =>
      a.direction === b.direction
        ? Date.parse(a.time) - Date.parse(b.time)
        : a.direction < b.direction
          ? -1
          : 1,
    );
  const migrate = () =>
    migrateLayout(
      { influx: stack.influx, bucket },
      { fromMs: FIXTURE_START - DAY, toMs: FIXTURE_START + 3 * DAY },
    );
  const gapReports = async (pseudonym: string) =>
    stack.influx.rows<{ _value: number; commodity?: string; area?: string }>(
      `${stack.from()} |> filter(fn: (r) => r._measurement == "${GAP_MEASUREMENT}" and r.p == "${pseudonym}")`,
    );
  /** Points of a pseudonym still under an earlier layout's spelled-out tags. */
  const spelledOut = async (pseudonym: string) =>
    stack.influx.rows(
      `${stack.from()} |> filter(fn: (r) => r.pseudonym == "${pseudonym}") |> group() |> count()`,
    );

  beforeAll(async () => {
    stack = await createTestStack('storage-layout');
    bucket = stack.config.influx.buckets.readings;
  });

  afterAll(async () => {
    await stack.close();
  });

  it('exports byte-identically to the first layout, written new or migrated, every field exact', async () => {
    const old = randomBytes(16).toString('hex');
    const fresh = randomBytes(16).toString('hex');
    await stack.influx.writeLines(bucket, [
      ...readings.map((r) => legacyLine(old, '001xx', r)),
      legacyGapLine(old, '001xx', FIXTURE_START + 100 * 900_000, 3),
    ]);
    // The same input as the worker writes it now: readings, then each run's revision record.
    const lines = new PointLines();
    const period = { contractId: 'K', startMs: 0, endMs: null, pseudonym: fresh, area: '001xx' };
    const now: string[] = readings.map((r) => lines.reading(period, r.direction, r.resolution, r));
    for (const direction of ['consumption', 'production'] as const) {
      const mine = readings.filter((r) => r.direction === direction);
      now.push(...lines.revisionRecords(period, direction, mine[0]?.resolution ?? 'PT15M', mine));
    }
    await stack.influx.writeLines(bucket, now);

    const report = await migrate();
    console.log(`migrated: ${JSON.stringify(report)}`);
    expect(report).toEqual({ readings: readings.length, gaps: 1, alreadySparse: 0 });
    const migrated = exportDigests(await exportOf(old));
    const written = exportDigests(await exportOf(fresh));
    console.log(
      `export digests before ${BEFORE.csv.slice(0, 12)}, migrated ${migrated.csv.slice(0, 12)}, new ${written.csv.slice(0, 12)}`,
    );
    expect(migrated).toEqual(BEFORE);
    expect(written).toEqual(BEFORE);
    expect(sorted(await stored(old))).toEqual(expected);
    expect(sorted(await stored(fresh))).toEqual(expected);
    expect(
      await stack.influx.legacyPoints(bucket, FIXTURE_START - DAY, FIXTURE_START + 3 * DAY),
    ).toEqual([]);
    const gaps = await gapReports(old);
    expect(gaps.map((g) => [g._value, g.commodity])).toEqual([[3, undefined]]);

    // Idempotent: nothing left to do; a crash before the delete (both layouts) repairs.
    expect(await migrate()).toEqual({ readings: 0, gaps: 0, alreadySparse: 0 });
    // A crash before the delete: the old layout is there again, and (a crash within the
    // writes) the sparse readings and revision records of part of the slice are not.
    const crashed = readings.slice(0, 30);
    await stack.influx.writeLines(
      bucket,
      crashed.map((r) => legacyLine(old, '001xx', r)),
    );
    await stack.influx.deletePoints(
      bucket,
      `_measurement="energy" AND p="${old}" AND d="c"`,
      new Date(FIXTURE_START).toISOString(),
      new Date((crashed.at(-1)?.startMs ?? 0) + 1).toISOString(),
    );
    await stack.influx.writeLines(
      bucket,
      crashed.map((r) => legacyLine(old, '001xx', r)),
    );
    expect(await migrate()).toEqual({ readings: 30, gaps: 0, alreadySparse: 0 });
    expect(sorted(await stored(old))).toEqual(expected);
    expect(exportDigests(await exportOf(old))).toEqual(BEFORE);
  });

  it('migrates the second layout (spelled-out tags, area) to the short tags, byte-identical and idempotent', async () => {
    const second = randomBytes(16).toString('hex');
    const gapAt = FIXTURE_START + 100 * 900_000;
    await stack.influx.writeLines(
      bucket,
      spelledOutLines(second, '001xx', readings, { startMs: gapAt, intervals: 3 }),
    );
    // Before the migration the readers see none of it (they read the current tags only),
    // so an export refuses rather than leave it out.
    expect(await stored(second)).toEqual([]);
    const refused = await exportOf(second).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnmigratedLayoutError);
    expect((refused as UnmigratedLayoutError).retriable).toBe(false);
    expect(String((refused as Error).message)).not.toContain(second);
    const report = await migrate();
    console.log(`migrated the second layout: ${JSON.stringify(report)}`);
    expect(report).toEqual({ readings: readings.length, gaps: 1, alreadySparse: 0 });
    const digests = exportDigests(await exportOf(second));
    console.log(`export digest of the migrated second layout ${digests.csv.slice(0, 12)}`);
    expect(digests).toEqual(BEFORE);
    expect(sorted(await stored(second))).toEqual(expected);
    const gaps = await gapReports(second);
    expect(gaps.map((g) => [g._value, g.commodity, g.area])).toEqual([[3, undefined, undefined]]);
    expect(await spelledOut(second)).toEqual([]);
    // Idempotent: a second run finds nothing; the export is unchanged.
    expect(await migrate()).toEqual({ readings: 0, gaps: 0, alreadySparse: 0 });
    expect(exportDigests(await exportOf(second))).toEqual(BEFORE);
  });

  it('never lets an old-layout reading overwrite one stored after the upgrade', async () => {
    const p = randomBytes(16).toString('hex');
    const [first, second] = readings as [FixtureReading, FixtureReading];
    const period = { contractId: 'K', startMs: 0, endMs: null, pseudonym: p, area: '001xx' };
    const lines = new PointLines();
    const newer = { ...first, quantityWh: 4321, revision: first.revision + DAY };
    await stack.influx.writeLines(bucket, [
      legacyLine(p, '001xx', first),
      legacyLine(p, '001xx', second),
      lines.reading(period, newer.direction, newer.resolution, newer),
      ...lines.revisionRecords(period, newer.direction, newer.resolution, [newer]),
    ]);
    expect(await migrate()).toEqual({ readings: 1, gaps: 0, alreadySparse: 1 });
    const rows = await stored(p);
    expect(rows.map((r) => [r.kwh, r.rev])).toEqual([
      [4.321, newer.revision],
      [(second.quantityWh ?? 0) / 1000, second.revision],
    ]);
    // The same with the second layout under the current one.
    const q = randomBytes(16).toString('hex');
    const mine = { ...period, pseudonym: q };
    const gap = { startMs: FIXTURE_START + 100 * 900_000, intervals: 1 };
    const older = spelledOutLines(q, '001xx', [first, second], gap);
    await stack.influx.writeLines(bucket, [
      ...older,
      lines.reading(mine, newer.direction, newer.resolution, newer),
      ...lines.revisionRecords(mine, newer.direction, newer.resolution, [newer]),
    ]);
    expect(await migrate()).toEqual({ readings: 1, gaps: 1, alreadySparse: 1 });
    expect((await stored(q)).map((r) => [r.kwh, r.rev])).toEqual([
      [4.321, newer.revision],
      [(second.quantityWh ?? 0) / 1000, second.revision],
    ]);
  });
});

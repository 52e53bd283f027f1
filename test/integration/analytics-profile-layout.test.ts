import { randomBytes } from 'node:crypto';
import { loadProfileCell } from '@lukema/core';
import {
  type AreaFigures,
  IoredisDirtyHours,
  IoredisRegistryStore,
  redisKeys,
} from '@lukema/platform';
import { createRollupRunner } from '@lukema/rollup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsPopulation, rollUp } from '../support/analytics-population.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';

const HOUR = 3_600_000;
// 1 October 2026 00:00 in Helsinki (EEST) and 1 November (EET): October holds the autumn
// change (Sunday 25 October, 04:00 → 03:00: the local hour 03 twice, a 25-hour day).
const OCT = Date.UTC(2026, 8, 30, 21);
const NOV = Date.UTC(2026, 9, 31, 22);
// Five hours before October and three after it: edge hours around one whole month.
const FROM = OCT - 5 * HOUR;
const TO = NOV + 3 * HOUR;
const HOURS = (TO - FROM) / HOUR;

/** A load that differs by hour, day and customer, so every cell has its own figures. */
const shape = (_area: string, i: number, h: number) =>
  h % 24 === 7 && i === 0 ? undefined : 0.25 + ((h * 7 + i * 3) % 11) / 4;

/** The figures sorted by group and cell, values to the nano-kWh (sums in another order). */
function canonical(figures: readonly AreaFigures[]) {
  const n = (v: number) => Math.round(v * 1e9) / 1e9;
  return figures
    .map((f) => ({
      ...f,
      kwh: n(f.kwh),
      topSum: n(f.topSum),
      customersSum: n(f.customersSum),
    }))
    .sort((a, b) =>
      `${a.area}|${a.commodity}|${a.direction}|${a.cell}`.localeCompare(
        `${b.area}|${b.commodity}|${b.direction}|${b.cell}`,
      ),
    );
}

describe('the load profile without cell tags', () => {
  let stack: TestStack;
  let bucket = '';
  /** A bucket of the same rollups in the former layout (a `cell` tag on each point). */
  const oldBucket = `t-profile-old-${randomBytes(4).toString('hex')}`;

  const profile = (b: string, fromMs: number, toMs: number, hoursOnly = false) =>
    stack.influx.areaProfile(b, { fromMs, toMs }, { hoursOnly });

  beforeAll(async () => {
    stack = await createTestStack('analytics-profile', {
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `t-profile-${randomBytes(4).toString('hex')}`,
    });
    bucket = stack.config.influx.buckets.rollups;
    await analyticsPopulation(
      stack,
      [
        { area: '001xx', hourlyKwh: [1, 1, 1, 1, 1, 1] },
        { area: '002xx', hourlyKwh: [1, 1, 1, 1, 1] },
      ],
      FROM,
      HOURS,
      shape,
    );
    await rollUp(stack, FROM, TO);
  }, 600_000);

  afterAll(async () => {
    await stack?.influx.deleteBucket(bucket).catch(() => undefined);
    await stack?.influx.deleteBucket(oldBucket).catch(() => undefined);
    await stack?.close();
  });

  it('gives the same profile from the monthly cells (a DST month) as from the hours alone', async () => {
    const cells = await stack.influx.rows<{ _time: string }>(`from(bucket: "${bucket}")
  |> range(start: 0, stop: 2100-01-01T00:00:00Z)
  |> filter(fn: (r) => r._measurement == "energy_area_cells_1mo" and r._field == "kwh")`);
    // 2 areas × 48 cells of October (the edge months' cells too: the runner makes those).
    expect(
      cells.filter((c) => Date.parse(c._time) >= OCT && Date.parse(c._time) < OCT + 60_000),
    ).toHaveLength(2 * 48);
    for (const [fromMs, toMs] of [
      [OCT, NOV],
      [FROM, TO],
    ] as const) {
      const months = canonical(await profile(bucket, fromMs, toMs));
      const hours = canonical(await profile(bucket, fromMs, toMs, true));
      expect(months).toEqual(hours);
      expect(months).toHaveLength(2 * 48);
    }
    const october = canonical(await profile(bucket, OCT, NOV));
    const cell = (area: string, name: string) =>
      october.find((f) => f.area === area && f.cell === name);
    // Nine weekend days in October 2026; 25 October has its 03:00 twice.
    expect(cell('002xx', 'weekend-03')?.windows).toBe(10);
    expect(cell('002xx', 'weekend-04')?.windows).toBe(9);
    expect(cell('002xx', 'weekday-03')?.windows).toBe(22);
    // Customer 0 of 001xx has no reading at the 8th hour of the data: fewer customer-hours.
    expect(cell('001xx', 'weekday-03')?.customersMax).toBe(6);
    console.log(
      `[analytics-profile] October from monthly cells = from hours: ${october.length} cells, weekend-03 ${JSON.stringify(cell('002xx', 'weekend-03'))}`,
    );
  });

  it('reads hourly area points written with a cell tag (the former layout) the same', async () => {
    await stack.influx.ensureBucket({ name: oldBucket, retentionSeconds: 0 });
    const rows = await stack.influx.rows<{
      _time: string;
      area: string;
      commodity: string;
      direction: string;
      kwh: number;
      intervals: number;
      quality: string;
      customers: number;
      top: number;
    }>(`from(bucket: "${bucket}") |> range(start: 0, stop: 2100-01-01T00:00:00Z)
  |> filter(fn: (r) => r._measurement == "energy_area_1h")
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`);
    expect(rows).toHaveLength(2 * HOURS);
    // The former hourly line, written here by hand: the cell as a tag.
    await stack.influx.writeLines(
      oldBucket,
      rows.map(
        (r) =>
          `energy_area_1h,area=${r.area},cell=${loadProfileCell(Date.parse(r._time))},commodity=${r.commodity},direction=${r.direction} ` +
          `kwh=${r.kwh},intervals=${r.intervals}i,quality="${r.quality}",customers=${r.customers}i,top=${r.top} ${Date.parse(r._time)}`,
      ),
    );
    const tagged = await stack.influx.rows<{ cell?: string }>(`from(bucket: "${oldBucket}")
  |> range(start: 0, stop: 2100-01-01T00:00:00Z) |> filter(fn: (r) => r._field == "kwh") |> limit(n: 1)`);
    expect(tagged[0]?.cell).toMatch(/^week(day|end)-\d\d$/);
    expect(canonical(await profile(oldBucket, FROM, TO, true))).toEqual(
      canonical(await profile(bucket, FROM, TO, true)),
    );
    // Hourly aggregates group by area, commodity and direction, whatever other tags.
    const hourly = (b: string) =>
      stack.influx.areaPeriods(b, { fromMs: FROM, toMs: TO, granularity: 'hour' });
    const byTime = (xs: AreaFigures[]) =>
      xs.map((f) => `${f.area}|${f.startMs}|${f.kwh}|${f.customersSum}|${f.windows}`).sort();
    const old = await hourly(oldBucket);
    expect(old.length).toBeGreaterThan(HOURS);
    expect(byTime(old)).toEqual(byTime(await hourly(bucket)));
    console.log(
      `[analytics-profile] ${rows.length} hourly area points with a cell tag: same profile and hours`,
    );
  });

  it('backfill migrates a bucket of the former layout: cells rewritten, the old monthly points gone', async () => {
    // The former monthly cells (a `cell` tag, the month's start as time), as the old
    // runner wrote them: one per area and cell.
    const cells = canonical(await profile(bucket, OCT, NOV));
    await stack.influx.writeLines(
      oldBucket,
      cells.map(
        (c) =>
          `energy_area_profile_1mo,area=${c.area},cell=${c.cell},commodity=${c.commodity},direction=${c.direction} ` +
          `kwh=${c.kwh},top=${c.topSum},customers=${c.customersSum}i,customersMax=${c.customersMax}i,windows=${c.windows}i ${OCT}`,
      ),
    );
    const count = async (measurement: string, extra = '') =>
      (
        await stack.influx.rows<{ _value: number }>(`from(bucket: "${oldBucket}")
  |> range(start: 0, stop: 2100-01-01T00:00:00Z)
  |> filter(fn: (r) => r._measurement == "${measurement}" and r._field == "kwh"${extra})
  |> group() |> count()`)
      )[0]?._value ?? 0;
    expect(await count('energy_area_profile_1mo')).toBe(2 * 48);
    expect(await count('energy_area_1h', ' and exists r.cell')).toBe(2 * HOURS);
    const prefix = stack.config.registry.redisPrefix;
    const runner = createRollupRunner({
      store: stack.influx,
      owners: new IoredisRegistryStore(stack.redis, redisKeys(prefix).registry),
      ledger: new IoredisDirtyHours(stack.redis, redisKeys(prefix).rollupDirtyHours),
      readingsBucket: stack.config.influx.buckets.readings,
      rollupBucket: oldBucket,
      logger: stack.logger,
    });
    await runner.backfill(FROM, TO);
    expect(await count('energy_area_profile_1mo')).toBe(0);
    expect(await count('energy_area_1h', ' and exists r.cell')).toBe(0);
    expect(await count('energy_area_1h')).toBe(2 * HOURS);
    expect(canonical(await profile(oldBucket, FROM, TO))).toEqual(
      canonical(await profile(bucket, FROM, TO)),
    );
    console.log(
      `[analytics-profile] backfill over the former layout: ${2 * 48} old monthly points deleted, ${2 * HOURS} hourly points rewritten untagged`,
    );
  });
});

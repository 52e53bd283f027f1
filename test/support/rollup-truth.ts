import { decodeReadingMarks, directionOfTag } from '@lukema/core';
import { IoredisRegistryStore, redisKeys } from '@lukema/platform';
import type { TestStack } from './test-stack.js';

const HOUR = 3_600_000;
const RANK: Record<string, number> = { measured: 0, estimated: 1, suspect: 2, missing: 3 };

/** Every point of `measurement` in `bucket`, its fields pivoted into one row a time and series. */
function pivoted<T extends Record<string, unknown>>(
  stack: TestStack,
  bucket: string,
  measurement: string,
): Promise<T[]> {
  return stack.influx.rows<T>(`from(bucket: "${bucket}") |> range(start: 0, stop: 2100-01-01T00:00:00Z)
  |> filter(fn: (r) => r._measurement == "${measurement}")
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`);
}

/** The keys of either map that the other lacks or whose entries `differ`. */
function differingKeys<T>(
  a: Map<string, T>,
  b: Map<string, T>,
  differ: (x: T, y: T) => boolean,
): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => {
    const x = a.get(k);
    const y = b.get(k);
    return !x || !y || differ(x, y);
  });
}

export interface HourTruth {
  kwh: number;
  intervals: number;
  quality: string;
}

/**
 * The hourly rollups as they should be, computed here from the raw readings with a Flux of
 * the test's own (not the product's query): `pseudonym|direction|hourMs` → sum, count, weakest.
 */
export async function hourlyTruth(stack: TestStack): Promise<Map<string, HourTruth>> {
  const rows = await stack.influx.rows<{
    _time: string;
    p: string;
    d: string;
    /** The resolution tag: the step in minutes. */
    r: string;
    kwh?: number;
    q?: number;
  }>(`${stack.from()}
  |> filter(fn: (r) => r._measurement == "energy" and (r._field == "kwh" or r._field == "q"))
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`);
  const out = new Map<string, HourTruth>();
  /** Intervals an hour of the series holds. */
  const perHour = new Map<string, number>();
  for (const row of rows) {
    // The sparse layout: a reading without `q` is measured.
    const r = { ...row, quality: decodeReadingMarks(row.q ?? 0).quality as string };
    const t = Date.parse(r._time);
    const key = `${r.p}|${directionOfTag(r.d)}|${t - (t % HOUR)}`;
    const had = out.get(key) ?? { kwh: 0, intervals: 0, quality: 'measured' };
    had.kwh += r.kwh ?? 0;
    had.intervals += 1;
    if ((RANK[r.quality] ?? 4) > (RANK[had.quality] ?? 4)) had.quality = r.quality;
    out.set(key, had);
    perHour.set(key, 60 / Number(r.r));
  }
  // An hour short of an interval (one that never arrived) is missing, whatever came.
  for (const [key, had] of out) {
    if (had.intervals < (perHour.get(key) ?? 0)) had.quality = 'missing';
  }
  return out;
}

/** The hourly rollup points as stored in the rollups bucket, keyed like `hourlyTruth`. */
export async function storedHourly(
  stack: TestStack,
  bucket: string,
  measurement = 'energy_1h',
): Promise<Map<string, HourTruth>> {
  const rows = await pivoted<{
    _time: string;
    pseudonym: string;
    direction: string;
    kwh?: number;
    intervals: number;
    quality: string;
  }>(stack, bucket, measurement);
  const out = new Map<string, HourTruth>();
  for (const r of rows) {
    const key = `${r.pseudonym}|${r.direction}|${Date.parse(r._time)}`;
    if (out.has(key)) throw new Error(`two rollup points for ${key}`);
    out.set(key, { kwh: r.kwh ?? 0, intervals: Number(r.intervals), quality: r.quality });
  }
  return out;
}

/** Compares two maps of hours, kWh to the µWh. Returns the differing keys. */
export function differences(a: Map<string, HourTruth>, b: Map<string, HourTruth>): string[] {
  return differingKeys(
    a,
    b,
    (x, y) =>
      Math.abs(x.kwh - y.kwh) > 1e-6 || x.intervals !== y.intervals || x.quality !== y.quality,
  );
}

export interface AreaTruth {
  kwh: number;
  intervals: number;
  customers: number;
  top: number;
}

/**
 * The per-area rollups as they should be, computed here from the stored per-series rollups
 * of `measurement` and the registry's owners: `area|direction|timeMs` → sum, intervals,
 * distinct customers, largest customer.
 */
export async function areaTruth(
  stack: TestStack,
  bucket: string,
  measurement: 'energy_1h' | 'energy_1d',
): Promise<Map<string, AreaTruth>> {
  const rows = await pivoted<{
    _time: string;
    pseudonym: string;
    area: string;
    direction: string;
    kwh?: number;
    intervals: number;
  }>(stack, bucket, measurement);
  const registry = new IoredisRegistryStore(
    stack.redis,
    redisKeys(stack.config.registry.redisPrefix).registry,
  );
  const perCustomer = new Map<string, Map<string, number>>();
  const out = new Map<string, AreaTruth>();
  for (const r of rows) {
    const key = `${r.area}|${r.direction}|${Date.parse(r._time)}`;
    const had = out.get(key) ?? { kwh: 0, intervals: 0, customers: 0, top: 0 };
    had.intervals += Number(r.intervals);
    out.set(key, had);
    if (typeof r.kwh !== 'number') continue;
    had.kwh += r.kwh;
    const owner = (await registry.findPseudonym(r.pseudonym))?.customerId ?? r.pseudonym;
    const per = perCustomer.get(key) ?? new Map<string, number>();
    perCustomer.set(key, per);
    per.set(owner, (per.get(owner) ?? 0) + r.kwh);
  }
  for (const [key, per] of perCustomer) {
    const t = out.get(key) as AreaTruth;
    t.customers = per.size;
    t.top = Math.max(...per.values());
  }
  return out;
}

/** The per-area rollup points as stored, keyed like `areaTruth`. */
export async function storedAreas(
  stack: TestStack,
  bucket: string,
  measurement: 'energy_area_1h' | 'energy_area_1d',
): Promise<Map<string, AreaTruth>> {
  const rows = await pivoted<{
    _time: string;
    area: string;
    direction: string;
    kwh: number;
    intervals: number;
    customers: number;
    top: number;
  }>(stack, bucket, measurement);
  const out = new Map<string, AreaTruth>();
  for (const r of rows) {
    const key = `${r.area}|${r.direction}|${Date.parse(r._time)}`;
    if (out.has(key)) throw new Error(`two area points for ${key}`);
    const { kwh, intervals, customers, top } = r;
    out.set(key, { kwh, intervals: Number(intervals), customers: Number(customers), top });
  }
  return out;
}

/** Keys where two maps of area figures differ (kWh to the µWh). */
export function areaDifferences(a: Map<string, AreaTruth>, b: Map<string, AreaTruth>): string[] {
  return differingKeys(
    a,
    b,
    (x, y) =>
      Math.abs(x.kwh - y.kwh) > 1e-6 ||
      Math.abs(x.top - y.top) > 1e-6 ||
      x.intervals !== y.intervals ||
      x.customers !== y.customers,
  );
}

/** The kWh of one measurement per area, summed over all time (test's own Flux). */
export async function kwhByArea(
  stack: TestStack,
  bucket: string,
  measurement: string,
): Promise<Record<string, number>> {
  const rows = await stack.influx.rows<{ area: string; _value: number }>(`from(bucket: "${bucket}")
  |> range(start: 0, stop: 2100-01-01T00:00:00Z)
  |> filter(fn: (r) => r._measurement == "${measurement}" and r._field == "kwh")
  |> group(columns: ["area"]) |> sum()`);
  return Object.fromEntries(rows.map((r) => [r.area, Math.round(r._value * 1e6) / 1e6]));
}

import { randomBytes } from 'node:crypto';
import {
  type DataStatus,
  type Direction,
  EngineUnavailableError,
  type ExportReading,
  PointLines,
  type Quality,
} from '@lukema/core';
import { InfluxClientAdapter, QueryRejectedError } from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';

const MP = '643007574000138589';
const STEP = 900_000;
const DAYS = 400;
/** Longer than a year: the export reads it as two halves, concurrently. */
const START = Date.UTC(2025, 0, 1);
const END = START + DAYS * 86_400_000;

/** What the export must read back: both directions, every kind of reading's marks. */
function readingsOf(direction: Direction): ExportReading[] {
  const out: ExportReading[] = [];
  for (let t = START, i = 0; t < END; t += STEP, i++) {
    const missing = i % 97 === 3;
    const quality: Quality = missing ? 'missing' : i % 50 === 7 ? 'estimated' : 'measured';
    const dataStatus: DataStatus = i % 3 === 0 ? 'final' : 'preliminary';
    out.push({
      meteringPointId: MP,
      direction,
      resolution: 'PT15M',
      startMs: t,
      quantityWh: missing
        ? null
        : direction === 'consumption'
          ? (i * 37) % 9_001
          : (i * 53) % 7_001,
      quality,
      dataStatus,
    });
  }
  return out;
}

describe('the export reads a series', () => {
  let stack: TestStack;
  let bucket: string;
  const pseudonym = randomBytes(16).toString('hex');
  const series = { pseudonym, meteringPointId: MP, startMs: START - 86_400_000, endMs: null };
  // Consumption before production at the same instant: InfluxDB's order of the series.
  const expected = [...readingsOf('consumption'), ...readingsOf('production')].sort(
    (a, b) => a.startMs - b.startMs,
  );

  beforeAll(async () => {
    stack = await createTestStack('export-read');
    bucket = stack.config.influx.buckets.readings;
    const lines = new PointLines();
    const period = { contractId: 'K-1', startMs: START, endMs: null, pseudonym, area: '001xx' };
    for (let i = 0; i < expected.length; i += 5000) {
      const chunk = expected.slice(i, i + 5000).map((r) =>
        lines.reading(period, r.direction, r.resolution, {
          startMs: r.startMs,
          quantityWh: r.quantityWh,
          quality: r.quality,
          flags: r.quality === 'estimated' ? ['interpolated'] : [],
          dataStatus: r.dataStatus ?? 'preliminary',
        }),
      );
      await stack.influx.writeLines(bucket, chunk);
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('exactly: every reading of a period longer than a year, in both directions', async () => {
    const readings = await stack.influx.seriesReadings(bucket, series);
    expect(readings.length).toBe(expected.length);
    expect(readings).toEqual(expected);
    // A period that ends: the read stops before its end.
    const closed = await stack.influx.seriesReadings(bucket, {
      ...series,
      endMs: START + 200 * 86_400_000,
    });
    expect(closed).toEqual(expected.filter((r) => r.startMs < START + 200 * 86_400_000));
  }, 120_000);

  it('reads the same queries as the raw read the benchmark compares it with', async () => {
    // bench:export measures the ratio of the two (a time is the benchmark's figure, not a
    // test's): here, that the floor reads the export's own queries and the export all of it.
    const raw = await stack.influx.seriesReadingsRaw(bucket, series);
    const t0 = performance.now();
    const readings = await stack.influx.seriesReadings(bucket, series);
    const readMs = performance.now() - t0;
    console.log(
      `export read of ${readings.length} readings: ${readMs.toFixed(0)} ms; raw read: ${raw.queries} queries, ${raw.bytes} bytes`,
    );
    expect(readings).toEqual(expected);
    expect(raw.queries).toBeGreaterThanOrEqual(1);
    // Every reading's row is in the raw bytes (a CSV row is longer than 20 bytes).
    expect(raw.bytes).toBeGreaterThan(expected.length * 20);
  }, 120_000);

  it('with typed errors: a bucket that does not exist is refused, a dead InfluxDB is retriable', async () => {
    const refused = await stack.influx
      .seriesReadings(`${bucket}-none`, series)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueryRejectedError);
    expect((refused as QueryRejectedError).retriable).toBe(false);
    const dead = new InfluxClientAdapter({
      url: 'http://127.0.0.1:9',
      org: stack.config.influx.org,
      token: 'none',
    });
    const unavailable = await dead.seriesReadings(bucket, series).catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(EngineUnavailableError);
    expect((unavailable as EngineUnavailableError).retriable).toBe(true);
  });
});

import { randomBytes } from 'node:crypto';
import { GAP_MEASUREMENT, PointLines } from '@lukema/core';
import { InvalidQueryValueError } from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 9, 1);

describe('the series store port on InfluxDB (rectification and erasure)', () => {
  let stack: TestStack;
  let bucket: string;
  const kept = randomBytes(16).toString('hex');
  const gone = randomBytes(16).toString('hex');

  /** How many points each pseudonym holds, over every measurement. */
  const counts = async () => {
    const rows = await stack.influx.rows<{ pseudonym: string; _value: number }>(
      `${stack.from()} |> filter(fn: (r) => r._field == "kwh" or r._field == "missing")
        |> group(columns: ["pseudonym"]) |> count()`,
    );
    return Object.fromEntries(rows.map((r) => [r.pseudonym, r._value]));
  };

  beforeAll(async () => {
    stack = await createTestStack('series-store');
    bucket = stack.config.influx.buckets.readings;
    const lines = new PointLines();
    const written: string[] = [];
    for (const pseudonym of [kept, gone]) {
      const period = { contractId: 'c', startMs: 0, endMs: null, pseudonym, area: '001xx' };
      for (let t = FROM; t < FROM + 10 * HOUR; t += HOUR) {
        const interval = { startMs: t, quantityWh: 250, quality: 'measured' as const, flags: [] };
        written.push(lines.reading(period, 'consumption', 'PT1H', interval));
      }
      // A gap report under the same pseudonym: erasure must take it too.
      written.push(
        `${lines.prefix(GAP_MEASUREMENT, period, 'consumption', 'PT1H')} missing=2i ${FROM + 20 * HOUR}`,
      );
    }
    await stack.influx.writeLines(bucket, written);
  });

  afterAll(async () => {
    await stack.close();
  });

  it('reads a series back, deletes a range of it, then erases it in every measurement', async () => {
    const points = await stack.influx.storedPoints(bucket, gone);
    expect(points).toHaveLength(10);
    expect(points[0]).toMatchObject({ direction: 'consumption', area: '001xx', kwh: 0.25 });
    await stack.influx.deleteSeriesPoints(bucket, gone, FROM, FROM + 5 * HOUR);
    expect(await stack.influx.storedPoints(bucket, gone)).toHaveLength(5);
    await stack.influx.deleteSeries(bucket, gone);
    expect(await counts()).toEqual({ [kept]: 11 });
    // A predicate is never built around a value of another shape.
    await expect(stack.influx.deleteSeries(bucket, `${kept}" OR pseudonym != "`)).rejects.toThrow(
      InvalidQueryValueError,
    );
    expect(await counts()).toEqual({ [kept]: 11 });
  });
});

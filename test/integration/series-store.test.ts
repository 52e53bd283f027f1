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

  /** How many points each pseudonym holds, over every measurement and layout. */
  const counts = async () => {
    const rows = await stack.influx.rows<{ p?: string; pseudonym?: string; _value: number }>(
      `${stack.from()} |> filter(fn: (r) => r._field == "kwh" or r._field == "missing")
        |> group(columns: ["p", "pseudonym"]) |> count()`,
    );
    const out: Record<string, number> = {};
    for (const r of rows) {
      const key = r.p ? r.p : `old:${r.pseudonym}`; // an absent tag reads as ""
      out[key] = (out[key] ?? 0) + r._value;
    }
    return out;
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
      // A reading in the earlier layout (spelled-out tags), not migrated yet: erasure too.
      written.push(
        `energy,area=001xx,direction=consumption,pseudonym=${pseudonym},resolution=PT1H kwh=1 ${FROM + 30 * HOUR}`,
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
    expect(points[0]).toMatchObject({ direction: 'consumption', resolution: 'PT1H', kwh: 0.25 });
    expect(points[0]).not.toHaveProperty('area');
    await stack.influx.deleteSeriesPoints(bucket, gone, FROM, FROM + 5 * HOUR);
    expect(await stack.influx.storedPoints(bucket, gone)).toHaveLength(5);
    expect(await counts()).toEqual({
      [kept]: 11,
      [gone]: 6,
      [`old:${kept}`]: 1,
      [`old:${gone}`]: 1,
    });
    await stack.influx.deleteSeries(bucket, gone);
    expect(await counts()).toEqual({ [kept]: 11, [`old:${kept}`]: 1 });
    // A predicate is never built around a value of another shape.
    await expect(stack.influx.deleteSeries(bucket, `${kept}" OR pseudonym != "`)).rejects.toThrow(
      InvalidQueryValueError,
    );
    expect(await counts()).toEqual({ [kept]: 11, [`old:${kept}`]: 1 });
  });
});

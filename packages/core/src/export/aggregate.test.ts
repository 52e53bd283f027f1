import { describe, expect, it } from 'vitest';
import { aggregateReadings, aggregateRuns, RunsAggregator } from './aggregate.js';
import { readingRuns } from './reading-runs.js';
import { bigReadings, MP_A, MP_B, series } from './test-fixtures.js';
import type { ExportReading } from './types.js';

describe('aggregateReadings', () => {
  it('puts readings into Finnish months across a month boundary (UTC+2 in winter)', () => {
    // 2024-01-31T21:00Z–21:45Z is 23:00–23:45 on 31 January in Helsinki, the rest February.
    const readings = series(MP_A, 'consumption', 'PT15M', '2024-01-31T21:00:00Z', 8, () => 1000);
    const { months } = aggregateReadings(readings);
    expect(months).toEqual([
      { month: '2024-01', consumptionWh: 4000, productionWh: null },
      { month: '2024-02', consumptionWh: 4000, productionWh: null },
    ]);
  });

  it('puts readings into Finnish months in summer time (UTC+3) and keeps directions apart', () => {
    const readings = [
      ...series(MP_A, 'consumption', 'PT1H', '2024-06-30T19:00:00Z', 4, (i) => (i + 1) * 100),
      ...series(MP_A, 'production', 'PT1H', '2024-06-30T20:00:00Z', 2, () => 5),
    ];
    expect(aggregateReadings(readings).months).toEqual([
      { month: '2024-06', consumptionWh: 300, productionWh: 5 },
      { month: '2024-07', consumptionWh: 700, productionWh: 5 },
    ]);
  });

  it('fills months without data between the first and the last, across a year end', () => {
    const readings = [
      ...series(MP_A, 'consumption', 'PT1H', '2024-11-15T12:00:00Z', 1, () => 10),
      ...series(MP_A, 'consumption', 'PT1H', '2025-01-15T12:00:00Z', 1, () => 20),
    ];
    expect(aggregateReadings(readings).months.map((m) => [m.month, m.consumptionWh])).toEqual([
      ['2024-11', 10],
      ['2024-12', null],
      ['2025-01', 20],
    ]);
  });

  it('sums days in Helsinki time over the spring clock change (a 23-hour day)', () => {
    const readings = series(MP_A, 'consumption', 'PT1H', '2024-03-30T22:00:00Z', 24, () => 1);
    const days = aggregateReadings(readings).recentDays.consumption;
    expect(days).toEqual([
      { day: '2024-03-31', wh: 23 },
      { day: '2024-04-01', wh: 1 },
    ]);
  });

  it('keeps the most recent days with data, oldest first', () => {
    const readings = series(MP_A, 'consumption', 'PT1H', '2024-01-01T00:00:00Z', 24 * 100, () => 1);
    const days = aggregateReadings(readings, 60).recentDays.consumption;
    expect(days).toHaveLength(60);
    // 100 UTC days from 2024-01-01 span 101 Helsinki days, up to 02:00 on 10 April (UTC+3).
    expect(days[0]?.day).toBe('2024-02-11');
    expect(days.at(-1)).toEqual({ day: '2024-04-10', wh: 3 });
    expect(aggregateReadings(readings).recentDays.production).toEqual([]);
  });

  it('counts readings per series by quality; missing ones add no energy', () => {
    const readings: ExportReading[] = [
      ...series(MP_A, 'consumption', 'PT1H', '2024-01-01T00:00:00Z', 3, (i) =>
        i === 1 ? null : -5,
      ),
      ...series(MP_B, 'production', 'PT15M', '2024-01-02T00:00:00Z', 1, () => 40),
      {
        ...(series(MP_A, 'consumption', 'PT1H', '2023-12-31T00:00:00Z', 1)[0] as ExportReading),
        quality: 'suspect',
      },
    ];
    const { series: totals } = aggregateReadings(readings);
    expect(totals).toEqual([
      {
        meteringPointId: MP_A,
        direction: 'consumption',
        readings: 4,
        byQuality: { measured: 2, estimated: 0, suspect: 1, missing: 1 },
        totalWh: -10,
        firstMs: Date.parse('2023-12-31T00:00:00Z'),
        lastMs: Date.parse('2024-01-01T02:00:00Z'),
      },
      {
        meteringPointId: MP_B,
        direction: 'production',
        readings: 1,
        byQuality: { measured: 1, estimated: 0, suspect: 0, missing: 0 },
        totalWh: 40,
        firstMs: Date.parse('2024-01-02T00:00:00Z'),
        lastMs: Date.parse('2024-01-02T00:00:00Z'),
      },
    ]);
  });

  it('refuses a non-finite quantity', () => {
    const readings = series(
      MP_A,
      'consumption',
      'PT1H',
      '2024-01-01T00:00:00Z',
      1,
      () => Number.NaN,
    );
    expect(() => aggregateReadings(readings)).toThrow(RangeError);
  });
});

describe('RunsAggregator', () => {
  it('gives aggregateRuns totals fed in slices, and joined from aggregators of slices', () => {
    const runs = readingRuns(bigReadings());
    const whole = aggregateRuns(runs);
    const fed = new RunsAggregator();
    const parts = [new RunsAggregator(), new RunsAggregator(), new RunsAggregator()];
    let k = 0;
    for (const run of runs) {
      for (let at = 0; at < run.length; at += 7_777) {
        const to = Math.min(at + 7_777, run.length);
        fed.add(run, at, to);
        // Consecutive slices of the readings, split inside runs and days.
        (parts[Math.min(2, Math.floor(k / 10))] as RunsAggregator).add(run, at, to);
        k++;
      }
    }
    expect(fed.totals()).toEqual(whole);
    expect(RunsAggregator.joined(parts).totals()).toEqual(whole);
  });
});

import { describe, expect, it } from 'vitest';
import { areaPeriodsFlux, areaProfileFlux, foldAreaRows } from './area-queries.js';

// 1 Jan 2026 00:00 and 1 Jan 2027 00:00 in Helsinki (EET).
const fromMs = Date.UTC(2025, 11, 31, 22);
const toMs = Date.UTC(2026, 11, 31, 22);
const HOUR = 3_600_000;

describe('area rollup queries', () => {
  it('read a load profile of whole local months from the monthly cells, pushdown-able aggregates each', () => {
    const [sums, largest, ...rest] = areaProfileFlux('rollups', {
      fromMs,
      toMs,
      areaPrefix: '001',
    });
    expect(rest).toEqual([]);
    expect(sums?.flux).toContain('r._measurement == "energy_area_profile_1mo"');
    expect(sums?.flux).toContain(
      'group(columns: ["area", "commodity", "direction", "cell", "_field"])',
    );
    expect(sums?.flux).toMatch(/\|> sum\(\)$/);
    expect(largest?.flux).toMatch(/r._field == "customersMax"[\s\S]*\|> max\(\)$/);
    expect(sums?.flux).toContain('r.area == "001xx"');
    expect(sums?.flux).toContain(
      'range(start: 2025-12-31T22:00:00.000Z, stop: 2026-12-31T22:00:00.000Z)',
    );
  });

  it('reads the hours before and after the whole months from the hourly area rollups', () => {
    const parts = areaProfileFlux('rollups', { fromMs: fromMs - 5 * HOUR, toMs: toMs + 2 * HOUR });
    expect(parts).toHaveLength(8);
    const hourly = parts.filter((p) => p.flux.includes('"energy_area_1h"'));
    expect(hourly.map((p) => p.field)).toEqual([
      undefined,
      'customersMax',
      'windows',
      undefined,
      'customersMax',
      'windows',
    ]);
    expect(hourly[0]?.flux).toContain('stop: 2025-12-31T22:00:00.000Z');
    expect(hourly[3]?.flux).toContain('start: 2026-12-31T22:00:00.000Z');
    // Less than a month: hours only.
    expect(areaProfileFlux('rollups', { fromMs, toMs: fromMs + 48 * HOUR })).toHaveLength(3);
  });

  it('read days and months from the daily area rollups in Helsinki windows, with checked values', () => {
    const [sums] = areaPeriodsFlux('rollups', { fromMs, toMs, granularity: 'month' });
    expect(sums?.flux).toContain('r._measurement == "energy_area_1d"');
    expect(sums?.flux).toContain('every: 1mo, fn: sum');
    expect(sums?.flux).toContain('timezone.location(name: "Europe/Helsinki")');
    expect(() =>
      areaPeriodsFlux('rollups', { fromMs: toMs, toMs: fromMs, granularity: 'day' }),
    ).toThrow(/to/);
    expect(() =>
      areaProfileFlux('rollups', { fromMs, toMs, commodity: 'x" or true' as string }),
    ).toThrow(/commodity/);
  });

  it('fold the figures of each group, adding parts up and keeping the largest count', () => {
    const tags = {
      area: '001xx',
      commodity: 'electricity',
      direction: 'consumption',
      cell: 'weekday-14',
    };
    expect(
      foldAreaRows([
        { ...tags, _field: 'kwh', _value: 12 },
        { ...tags, _field: 'kwh', _value: 3 },
        { ...tags, _field: 'top', _value: 3 },
        { ...tags, _field: 'customers', _value: 40 },
        { ...tags, _field: 'customersMax', _value: 9 },
        { ...tags, _field: 'customersMax', _value: 7 },
        { ...tags, _field: 'windows', _value: 5 },
      ]),
    ).toEqual([{ ...tags, kwh: 15, topSum: 3, customersSum: 40, customersMax: 9, windows: 5 }]);
  });
});

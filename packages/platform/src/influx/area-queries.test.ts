import { describe, expect, it } from 'vitest';
import { areaPeriodsFlux, foldAreaRows } from './area-queries.js';

// 1 Jan 2026 00:00 and 1 Jan 2027 00:00 in Helsinki (EET).
const fromMs = Date.UTC(2025, 11, 31, 22);
const toMs = Date.UTC(2026, 11, 31, 22);

describe('area rollup queries', () => {
  it('read days and months from the daily area rollups in Helsinki windows, with checked values', () => {
    const [sums] = areaPeriodsFlux('rollups', { fromMs, toMs, granularity: 'month' });
    expect(sums?.flux).toContain('r._measurement == "energy_area_1d"');
    expect(sums?.flux).toContain('every: 1mo, fn: sum');
    expect(sums?.flux).toContain('timezone.location(name: "Europe/Helsinki")');
    expect(() =>
      areaPeriodsFlux('rollups', { fromMs: toMs, toMs: fromMs, granularity: 'day' }),
    ).toThrow(/to/);
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

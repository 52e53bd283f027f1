import { describe, expect, it } from 'vitest';
import {
  AREA_DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  areaRollupLine,
  rollupAreas,
} from './area-rollup.js';
import { loadProfileCell } from './profile-cells.js';
import type { RollupPoint } from './rollup.js';

const HOUR = Date.UTC(2026, 10, 28, 12); // Saturday 14:00 in Helsinki
const point = (
  pseudonym: string,
  kwh: number | null,
  area = '001xx',
  quality = 'measured',
): RollupPoint => ({
  pseudonym,
  area,
  commodity: 'electricity',
  direction: 'consumption',
  resolution: 'PT15M',
  startMs: HOUR,
  kwh,
  intervals: 4,
  quality,
});

describe('per-area rollups', () => {
  const owners: Record<string, string> = { a: 'A', a2: 'A', b: 'B', c: 'C', d: 'D' };
  const ownerOf = (p: string) => owners[p] ?? `series:${p}`;

  it('sum their series, count distinct customers once and keep the largest customer', () => {
    const [only, ...rest] = rollupAreas(
      [
        point('a', 1.5),
        point('a2', 2),
        point('b', 0.25, '001xx', 'estimated'),
        point('c', null, '001xx', 'missing'),
      ],
      ownerOf,
    );
    expect(rest).toEqual([]);
    // a and a2 are one customer (3.5 kWh); c's hour was all missing: intervals, no customer.
    expect(only).toMatchObject({
      area: '001xx',
      kwh: 3.75,
      intervals: 16,
      quality: 'missing',
      customers: 2,
      top: 3.5,
    });
  });

  it('keeps areas apart and writes lines without a load-profile cell tag', () => {
    const areas = rollupAreas([point('a', 1), point('d', 2, '002xx')], ownerOf);
    expect(areas.map((a) => [a.area, a.customers, a.kwh])).toEqual([
      ['001xx', 1, 1],
      ['002xx', 1, 2],
    ]);
    const [first] = areas as [(typeof areas)[0]];
    expect(areaRollupLine(AREA_HOURLY_MEASUREMENT, first)).toBe(
      `energy_area_1h,area=001xx,commodity=electricity,direction=consumption kwh=1,intervals=4i,quality="measured",customers=1i,top=1 ${HOUR}`,
    );
    expect(areaRollupLine(AREA_DAILY_MEASUREMENT, first)).not.toContain('cell=');
  });

  it('names the load-profile cell by the Helsinki hour and day type', () => {
    expect(loadProfileCell(HOUR)).toBe('weekend-14');
    expect(loadProfileCell(Date.UTC(2026, 10, 29, 22))).toBe('weekday-00'); // Monday 00:00
  });
});

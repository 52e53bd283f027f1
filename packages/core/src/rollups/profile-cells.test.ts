import { describe, expect, it } from 'vitest';
import { helsinkiMonthStart, nextHelsinkiMonth } from './area-rollup.js';
import {
  loadProfileCell,
  PROFILE_CELLS,
  profileCellIndex,
  profileCellName,
  profileCellOfName,
  profileCellOfTime,
  profileCellTime,
  profileMonthLine,
} from './profile-cells.js';

const HOUR = 3_600_000;
const cellsFrom = (startMs: number, hours: number) =>
  Array.from({ length: hours }, (_, i) => loadProfileCell(startMs + i * HOUR));

describe('load-profile cells', () => {
  it('names cells by the local hour over the spring change (Sunday 29 March 2026, 03:00 → 04:00)', () => {
    // 00:00 local (EET) on the Sunday; the hour 03:00 does not exist.
    expect(cellsFrom(Date.UTC(2026, 2, 28, 22), 5)).toEqual([
      'weekend-00',
      'weekend-01',
      'weekend-02',
      'weekend-04',
      'weekend-05',
    ]);
    expect(profileCellIndex(Date.UTC(2026, 2, 29, 1))).toBe(28);
    // Monday 00:00 EEST is 21:00 UTC on Sunday.
    expect(loadProfileCell(Date.UTC(2026, 2, 29, 21))).toBe('weekday-00');
  });

  it('names cells by the local hour over the autumn change (Sunday 25 October 2026, 04:00 → 03:00)', () => {
    // 00:00 local (EEST) on the Sunday; the hour 03:00 comes twice.
    expect(cellsFrom(Date.UTC(2026, 9, 24, 21), 6)).toEqual([
      'weekend-00',
      'weekend-01',
      'weekend-02',
      'weekend-03',
      'weekend-03',
      'weekend-04',
    ]);
    // Monday 00:00 EET is 22:00 UTC on Sunday.
    expect(loadProfileCell(Date.UTC(2026, 9, 25, 22))).toBe('weekday-00');
  });

  it('indexes 48 cells, weekdays first, and maps names and indices both ways', () => {
    expect(profileCellName(0)).toBe('weekday-00');
    expect(profileCellName(23)).toBe('weekday-23');
    expect(profileCellName(24)).toBe('weekend-00');
    expect(profileCellName(47)).toBe('weekend-23');
    for (let i = 0; i < PROFILE_CELLS; i++) expect(profileCellOfName(profileCellName(i))).toBe(i);
    expect(() => profileCellName(48)).toThrow(RangeError);
    expect(() => profileCellOfName('weekday-24')).toThrow(RangeError);
  });

  it('encodes the cell in the seconds after the month start, in EET and EEST months alike', () => {
    // Every month start of 2025–2027: 22:00 UTC (EET) or 21:00 UTC (EEST) the day before.
    const starts: number[] = [];
    for (let m = helsinkiMonthStart(Date.UTC(2025, 0, 15)); m < Date.UTC(2027, 11, 31, 12); ) {
      starts.push(m);
      m = nextHelsinkiMonth(m);
    }
    expect(starts).toHaveLength(36);
    expect(starts).toContain(Date.UTC(2026, 1, 28, 22)); // 1 March 2026, EET
    expect(starts).toContain(Date.UTC(2026, 2, 31, 21)); // 1 April 2026, EEST
    expect(starts).toContain(Date.UTC(2026, 8, 30, 21)); // 1 October 2026, EEST
    expect(starts).toContain(Date.UTC(2026, 9, 31, 22)); // 1 November 2026, EET
    for (const start of starts) {
      expect(start % 60_000).toBe(0);
      for (let cell = 0; cell < PROFILE_CELLS; cell++) {
        const t = profileCellTime(start, cell);
        expect(profileCellOfTime(t)).toBe(cell);
        expect(helsinkiMonthStart(t)).toBe(start);
      }
    }
  });

  it('writes a monthly point without a cell tag, the cell in its time', () => {
    const start = Date.UTC(2026, 2, 31, 21);
    expect(
      profileMonthLine({
        area: '001xx',
        commodity: 'electricity',
        direction: 'consumption',
        cell: 'weekend-03',
        startMs: start,
        kwh: 1.5,
        top: 0.5,
        customers: 3,
        customersMax: 2,
        windows: 2,
      }),
    ).toBe(
      `energy_area_cells_1mo,area=001xx,commodity=electricity,direction=consumption kwh=1.5,top=0.5,customers=3i,customersMax=2i,windows=2i ${start + 27_000}`,
    );
  });
});

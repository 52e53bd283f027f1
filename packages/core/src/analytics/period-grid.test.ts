import { describe, expect, it } from 'vitest';
import { helsinkiDateStart, offGrid, periodStart } from './period-grid.js';

const NOV_1 = Date.UTC(2026, 9, 31, 22); // 1 Nov 2026 00:00 in Helsinki (EET)
const DAY = 86_400_000;

describe('the fixed period grid', () => {
  it('takes windows on local boundaries, across a DST change', () => {
    expect(offGrid(NOV_1, NOV_1 + 16 * DAY, 'day')).toBeUndefined();
    expect(offGrid(NOV_1, Date.UTC(2026, 10, 30, 22), 'month')).toBeUndefined();
    // 1 October is EEST (UTC+3): its midnight is 21:00 UTC; October has a 25-hour day.
    expect(offGrid(Date.UTC(2026, 8, 30, 21), NOV_1, 'month')).toBeUndefined();
    expect(offGrid(NOV_1 + 3_600_000, NOV_1 + 5 * 3_600_000, 'hour')).toBeUndefined();
  });

  it('refuses November 1–16 by months, naming the nearest aligned window', () => {
    const off = offGrid(NOV_1, NOV_1 + 16 * DAY, 'month');
    expect(off).toMatchObject({ from: '2026-11-01T00:00+02:00', to: '2026-12-01T00:00+02:00' });
    expect(off?.problem).toMatch(/Europe\/Helsinki month boundaries.*from=2026-11-01T00:00\+02:00/);
    // UTC midnight is 02:00 in Helsinki: off the day grid.
    expect(offGrid(Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 3), 'day')).toMatchObject({
      from: '2026-11-01T00:00+02:00',
      to: '2026-11-03T00:00+02:00',
    });
    expect(offGrid(NOV_1 + 60_000, NOV_1 + 60_000 + 1_000, 'hour')).toMatchObject({
      from: '2026-11-01T00:00+02:00',
      to: '2026-11-01T01:00+02:00',
    });
  });

  it('reads a calendar date as its Helsinki midnight', () => {
    expect(helsinkiDateStart('2026-11-01')).toBe(NOV_1);
    expect(helsinkiDateStart('2026-07-01')).toBe(Date.UTC(2026, 5, 30, 21));
    expect(periodStart(NOV_1 + 10 * DAY + 5, 'month')).toBe(NOV_1);
  });
});

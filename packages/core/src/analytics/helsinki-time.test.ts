import { describe, expect, it } from 'vitest';
import { hourOfDay, periodLabel } from './helsinki-time.js';

describe('Finnish local periods', () => {
  it('labels a day by its local start, not by the end of a UTC window', () => {
    // 28 Nov 2026 00:00 in Helsinki is 27 Nov 22:00 UTC.
    expect(periodLabel(Date.UTC(2026, 10, 27, 22), 'day')).toBe('2026-11-28');
    expect(periodLabel(Date.UTC(2026, 10, 28, 21, 59), 'day')).toBe('2026-11-28');
    expect(periodLabel(Date.UTC(2026, 10, 28, 22), 'day')).toBe('2026-11-29');
  });

  it('labels months and hours, telling apart the two 03:00 hours of the autumn change', () => {
    expect(periodLabel(Date.UTC(2026, 9, 31, 22), 'month')).toBe('2026-11');
    // 25 Oct 2026: clocks go back from 04:00 EEST to 03:00 EET.
    expect(periodLabel(Date.UTC(2026, 9, 25, 0), 'hour')).toBe('2026-10-25T03:00+03:00');
    expect(periodLabel(Date.UTC(2026, 9, 25, 1), 'hour')).toBe('2026-10-25T03:00+02:00');
  });

  it('gives the local hour of day and the weekend', () => {
    expect(hourOfDay(Date.UTC(2026, 10, 28, 12))).toEqual({ hour: 14, weekend: true });
    expect(hourOfDay(Date.UTC(2026, 10, 29, 22))).toEqual({ hour: 0, weekend: false });
  });
});

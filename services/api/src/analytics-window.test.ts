// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux interpolation text is what these cases are about
import { describe, expect, it } from 'vitest';
import { analyticsWindow } from './analytics-window.js';

describe('analyticsWindow', () => {
  it('takes ISO dates (midnight in Helsinki) and date-times with a zone', () => {
    expect(analyticsWindow('2026-11-01', '2026-11-08')).toEqual({
      fromMs: Date.UTC(2026, 9, 31, 22),
      toMs: Date.UTC(2026, 10, 7, 22),
    });
    expect(analyticsWindow('2026-11-01T00:00:00+02:00', '2026-11-01T12:30:00.5Z')).toEqual({
      fromMs: Date.UTC(2026, 9, 31, 22),
      toMs: Date.UTC(2026, 10, 1, 12, 30, 0, 500),
    });
  });

  it.each([
    ['not-a-date', '2026-11-08'],
    ['2026-02-30', '2026-03-08'],
    ['2026-11-01T25:00:00Z', '2026-11-08'],
    ['2026-11-01T00:00:00', '2026-11-08'], // no zone: ambiguous
    ['1', '2026-11-08'],
    ['${r.area}', '2026-11-08'],
  ])('refuses %s', (from, to) => {
    expect(analyticsWindow(from, to)).toEqual({
      problem: 'from and to must be ISO dates (2026-11-01) or date-times with a zone',
    });
  });

  it('refuses windows InfluxDB cannot serve or that are too long', () => {
    expect(analyticsWindow('1000-01-01', '1000-02-01')).toEqual({
      problem: 'from and to must lie between 1970-01-01 and 2200-01-01',
    });
    expect(analyticsWindow('2026-11-08', '2026-11-01')).toEqual({
      problem: 'to must be after from',
    });
    expect(analyticsWindow('2026-11-01', '2026-11-01')).toEqual({
      problem: 'to must be after from',
    });
    expect(analyticsWindow('2024-01-01', '2026-01-01')).toEqual({
      problem: 'from and to may be at most 366 days apart',
    });
  });
});

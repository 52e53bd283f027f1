import { describe, expect, it } from 'vitest';
import { dayKey, helsinkiDayResolver, monthKey } from './helsinki-time.js';

const intlDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Helsinki',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

describe('helsinkiDayResolver', () => {
  it('agrees with Intl every 15 minutes through 2024, both clock changes included', () => {
    const localDay = helsinkiDayResolver();
    const start = Date.parse('2024-01-01T00:00:00Z');
    const mismatches: string[] = [];
    for (let t = start; t < start + 366 * 86_400_000; t += 15 * 60_000) {
      if (dayKey(localDay(t)) !== intlDay.format(t)) mismatches.push(new Date(t).toISOString());
    }
    expect(mismatches).toEqual([]);
  });

  it('puts Helsinki midnight in the new day in winter and in summer', () => {
    const localDay = helsinkiDayResolver();
    expect(dayKey(localDay(Date.parse('2024-01-31T21:59:59Z')))).toBe('2024-01-31');
    expect(dayKey(localDay(Date.parse('2024-01-31T22:00:00Z')))).toBe('2024-02-01');
    expect(dayKey(localDay(Date.parse('2024-06-30T20:59:59Z')))).toBe('2024-06-30');
    expect(dayKey(localDay(Date.parse('2024-06-30T21:00:00Z')))).toBe('2024-07-01');
    expect(monthKey(localDay(Date.parse('2024-06-30T21:00:00Z')))).toBe('2024-07');
  });

  it('gives the same answer in any order of input', () => {
    const localDay = helsinkiDayResolver();
    const t = Date.parse('2024-10-27T00:30:00Z');
    expect(dayKey(localDay(t + 86_400_000 * 200))).toBe('2025-05-15');
    expect(dayKey(localDay(t))).toBe('2024-10-27');
  });
});

import { describe, expect, it } from 'vitest';
import { type ContractPeriod, coarseArea, helsinkiDayStartUtc, periodAt } from './contracts.js';

describe('helsinkiDayStartUtc', () => {
  it('is 22:00 UTC the day before in winter and 21:00 UTC in summer', () => {
    expect(new Date(helsinkiDayStartUtc('2026-01-15')).toISOString()).toBe(
      '2026-01-14T22:00:00.000Z',
    );
    expect(new Date(helsinkiDayStartUtc('2026-07-01')).toISOString()).toBe(
      '2026-06-30T21:00:00.000Z',
    );
  });

  it('handles the days of the DST changes', () => {
    // DST starts 2026-03-29 03:00 local, ends 2026-10-25 04:00 local.
    expect(new Date(helsinkiDayStartUtc('2026-03-29')).toISOString()).toBe(
      '2026-03-28T22:00:00.000Z',
    );
    expect(new Date(helsinkiDayStartUtc('2026-03-30')).toISOString()).toBe(
      '2026-03-29T21:00:00.000Z',
    );
    expect(new Date(helsinkiDayStartUtc('2026-10-25')).toISOString()).toBe(
      '2026-10-24T21:00:00.000Z',
    );
    expect(new Date(helsinkiDayStartUtc('2026-10-26')).toISOString()).toBe(
      '2026-10-25T22:00:00.000Z',
    );
  });

  it('rejects what is not a calendar date', () => {
    expect(() => helsinkiDayStartUtc('2026-02-30')).toThrow(RangeError);
    expect(() => helsinkiDayStartUtc('15.1.2026')).toThrow(RangeError);
  });
});

describe('periodAt', () => {
  const a: ContractPeriod = {
    contractId: 'A',
    startMs: 100,
    endMs: 200,
    pseudonym: 'pa',
    area: 'x',
  };
  const b: ContractPeriod = {
    contractId: 'B',
    startMs: 300,
    endMs: null,
    pseudonym: 'pb',
    area: 'x',
  };

  it('uses half-open periods and leaves vacancies unattached', () => {
    expect(periodAt([a, b], 100)?.contractId).toBe('A');
    expect(periodAt([a, b], 199)?.contractId).toBe('A');
    expect(periodAt([a, b], 200)).toBeUndefined();
    expect(periodAt([a, b], 299)).toBeUndefined();
    expect(periodAt([a, b], 10_000)?.contractId).toBe('B');
    expect(periodAt([a, b], 99)).toBeUndefined();
  });
});

describe('coarseArea', () => {
  it('keeps only the postal-code area', () => {
    expect(coarseArea('00520')).toBe('005xx');
    expect(coarseArea('Mannerheimintie 1')).toBe('unknown');
  });
});

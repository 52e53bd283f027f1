import { describe, expect, it } from 'vitest';
import { displayKwh, formatWhAsKwh, utcSecondsFormatter } from './format.js';

describe('formatWhAsKwh', () => {
  it.each([
    [1234, ',', '1,234'],
    [-50, ',', '-0,050'],
    [0, ',', '0,000'],
    [-0, ',', '0,000'],
    [5, ',', '0,005'],
    [1_000_000, ',', '1000,000'],
    [-123_456_789, '.', '-123456.789'],
    [1234.6, '.', '1.235'],
  ])('%d with %j → %s', (wh, sep, expected) => {
    expect(formatWhAsKwh(wh, sep)).toBe(expected);
  });

  it('refuses a non-finite quantity', () => {
    expect(() => formatWhAsKwh(Number.NaN, ',')).toThrow(RangeError);
    expect(() => formatWhAsKwh(Number.POSITIVE_INFINITY, ',')).toThrow(RangeError);
  });
});

describe('displayKwh', () => {
  it('groups thousands with a narrow no-break space', () => {
    expect(displayKwh(1_234_567_890)).toBe('1\u202f234\u202f567.890');
    expect(displayKwh(-1_234_567)).toBe('-1\u202f234.567');
    expect(displayKwh(999_999)).toBe('999.999');
  });
});

describe('utcSecondsFormatter', () => {
  it('formats UTC to the second, dropping milliseconds, across days', () => {
    const format = utcSecondsFormatter();
    expect(format(Date.parse('2024-02-29T23:45:00Z'))).toBe('2024-02-29T23:45:00Z');
    expect(format(Date.parse('2024-03-01T00:00:00Z'))).toBe('2024-03-01T00:00:00Z');
    expect(format(Date.parse('2024-03-01T09:05:07.999Z'))).toBe('2024-03-01T09:05:07Z');
    expect(format(Date.parse('1969-12-31T23:59:59Z'))).toBe('1969-12-31T23:59:59Z');
    expect(format(0)).toBe('1970-01-01T00:00:00Z');
  });

  it('refuses a non-finite instant', () => {
    expect(() => utcSecondsFormatter()(Number.NaN)).toThrow(RangeError);
  });
});

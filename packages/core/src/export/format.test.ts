import { describe, expect, it } from 'vitest';
import { displayKwh, formatWhAsKwh } from './format.js';

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

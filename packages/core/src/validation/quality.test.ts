import { describe, expect, it } from 'vitest';
import type { HeadEndFlag } from '../reading.js';
import { flagNames, qualityOf, worseQuality } from './quality.js';

describe('qualityOf', () => {
  it('is missing when the value is null, whatever the flags', () => {
    expect(qualityOf(null, [])).toBe('missing');
    expect(qualityOf(null, ['ESTIMATED'])).toBe('missing');
  });

  it('is missing when the head-end says MISSING, even with a value', () => {
    expect(qualityOf(100, ['MISSING'])).toBe('missing');
  });

  it.each<HeadEndFlag>(['CLOCK_INVALID', 'DATA_NOT_VALID', 'CRITICAL_ERROR', 'POWER_DOWN'])(
    'is suspect for %s',
    (flag) => {
      expect(qualityOf(100, [flag])).toBe('suspect');
    },
  );

  it.each<HeadEndFlag>(['ESTIMATED', 'RECOVERED_VALUE'])('is estimated for %s', (flag) => {
    expect(qualityOf(100, [flag])).toBe('estimated');
  });

  it('stays measured for CLOCK_ADJUSTED and for no flags', () => {
    expect(qualityOf(100, ['CLOCK_ADJUSTED'])).toBe('measured');
    expect(qualityOf(0, [])).toBe('measured');
  });

  it('applies missing > suspect > estimated whatever the flag order', () => {
    expect(qualityOf(100, ['ESTIMATED', 'CLOCK_INVALID', 'MISSING'])).toBe('missing');
    expect(qualityOf(100, ['ESTIMATED', 'POWER_DOWN'])).toBe('suspect');
    expect(qualityOf(100, ['POWER_DOWN', 'ESTIMATED'])).toBe('suspect');
    expect(qualityOf(100, ['ESTIMATED'], ['spike'])).toBe('suspect');
    expect(qualityOf(null, [], ['off_grid'])).toBe('missing');
  });

  it('treats corrected as information, not as a defect', () => {
    expect(qualityOf(100, [], ['corrected'])).toBe('measured');
    expect(qualityOf(100, [], ['corrected', 'negative'])).toBe('suspect');
  });
});

describe('worseQuality', () => {
  it('picks the higher-precedence quality in either argument order', () => {
    expect(worseQuality('measured', 'estimated')).toBe('estimated');
    expect(worseQuality('suspect', 'estimated')).toBe('suspect');
    expect(worseQuality('suspect', 'missing')).toBe('missing');
  });
});

describe('flagNames', () => {
  it('lowercases head-end flags, merges validation flags, sorts and removes repeats', () => {
    expect(
      flagNames(['RECOVERED_VALUE', 'CLOCK_ADJUSTED', 'CLOCK_ADJUSTED'], ['spike', 'corrected']),
    ).toEqual(['clock_adjusted', 'corrected', 'recovered_value', 'spike']);
  });

  it('is empty for a clean interval', () => {
    expect(flagNames([], [])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  directionOfTag,
  directionTag,
  resolutionOfTag,
  resolutionTag,
  seriesPrefix,
} from './series-tags.js';

describe('series tags', () => {
  it('spells a series in short tags, sorted, without an area', () => {
    expect(seriesPrefix('energy', 'ab12', 'consumption', 'PT15M')).toBe('energy,d=c,p=ab12,r=15');
    expect(seriesPrefix('data_gaps', 'ab12', 'production', 'PT1H')).toBe(
      'data_gaps,d=p,p=ab12,r=60',
    );
  });

  it('reads back every direction and resolution it writes', () => {
    for (const d of ['consumption', 'production']) expect(directionOfTag(directionTag(d))).toBe(d);
    for (const r of ['PT15M', 'PT1H']) expect(resolutionOfTag(resolutionTag(r))).toBe(r);
  });

  it('keeps an unknown value as it is, escaped', () => {
    expect(directionTag('side ways')).toBe('side\\ ways');
    expect(resolutionTag('P1D')).toBe('P1D');
    expect(resolutionOfTag('P1D')).toBe('P1D');
  });
});

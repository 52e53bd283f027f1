import { describe, expect, it } from 'vitest';
import { coarserArea, DEFAULT_DISCLOSURE_RULE, judgeGroup } from './group-guard.js';

const group = (values: number[]) => new Map(values.map((v, i) => [`c${i}`, v]));

describe('the k and dominance rules', () => {
  it('withholds a group below k and releases one at k', () => {
    expect(judgeGroup(group([1, 1, 1, 1]), DEFAULT_DISCLOSURE_RULE)).toEqual({
      released: false,
      customers: 4,
      reason: 'fewer-than-k-customers',
    });
    expect(judgeGroup(group([1, 1, 1, 1, 1, 1, 1]), DEFAULT_DISCLOSURE_RULE)).toEqual({
      released: true,
      customers: 7,
    });
  });

  it('withholds a group where one customer holds more than 15 % of the total', () => {
    const verdict = judgeGroup(group([10, 1, 1, 1, 1, 1, 1, 1]), DEFAULT_DISCLOSURE_RULE);
    expect(verdict).toMatchObject({ released: false, reason: 'dominated-by-one-customer' });
    // 15 % exactly is allowed: 3 of 20.
    expect(judgeGroup(group([3, 3, 3, 3, 3, 3, 2]), DEFAULT_DISCLOSURE_RULE).released).toBe(true);
  });

  it('merges areas by postal-code prefix', () => {
    expect(coarserArea('001xx', 2)).toBe('00xxx');
    expect(coarserArea('001xx', 1)).toBe('0xxxx');
    expect(coarserArea('001xx', 3)).toBe('001xx');
    expect(coarserArea('unknown', 2)).toBe('unknown');
  });
});

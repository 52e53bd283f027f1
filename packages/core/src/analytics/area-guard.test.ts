import { describe, expect, it } from 'vitest';
import { areaVerdict, exactGroupVerdicts } from './area-guard.js';
import { DEFAULT_DISCLOSURE_RULE as RULE } from './group-guard.js';

describe('k and dominance from per-area rollups', () => {
  it('decides one window exactly', () => {
    expect(areaVerdict({ kwh: 10, customersAtLeast: 4, topAtMost: 1, exact: true }, RULE)).toEqual({
      released: false,
      reason: 'fewer-than-k-customers',
    });
    expect(areaVerdict({ kwh: 10, customersAtLeast: 5, topAtMost: 2, exact: true }, RULE)).toEqual({
      released: false,
      reason: 'dominated-by-one-customer',
    });
    expect(areaVerdict({ kwh: 20, customersAtLeast: 7, topAtMost: 3, exact: true }, RULE)).toEqual({
      released: true,
    });
  });

  it('passes a group of many windows when the bounds decide, and asks for the exact count when not', () => {
    // ≥ k customers in one window, and the windows' largest customers sum to ≤ 15 %.
    expect(
      areaVerdict({ kwh: 100, customersAtLeast: 9, topAtMost: 15, exact: false }, RULE),
    ).toEqual({
      released: true,
    });
    // A lower bound below k, or an upper bound above the share, proves nothing.
    expect(
      areaVerdict({ kwh: 100, customersAtLeast: 4, topAtMost: 5, exact: false }, RULE),
    ).toEqual({
      undecided: true,
    });
    expect(
      areaVerdict({ kwh: 100, customersAtLeast: 9, topAtMost: 16, exact: false }, RULE),
    ).toEqual({
      undecided: true,
    });
  });

  it('computes the exact verdict of a group from its series, objectors left out', () => {
    const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => ({
      groupId: 'g',
      pseudonym: p,
      kwh: 1,
    }));
    const verdicts = exactGroupVerdicts(
      rows,
      (p) => (p === 'f' ? undefined : p.toUpperCase()),
      RULE,
    );
    expect(verdicts.get('g')).toEqual({
      verdict: { released: false, customers: 5, reason: 'dominated-by-one-customer' },
      values: [1, 1, 1, 1, 1],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { spend } from './budget.js';
import { groupsPerCustomer, privateGroups } from './private-aggregates.js';

describe('privacy budget accounting', () => {
  it('spends until the total, then refuses the query that would exceed it', () => {
    let spent = 0;
    const outcomes: boolean[] = [];
    for (let i = 0; i < 12; i++) {
      const d = spend(spent, 0.1, 1);
      outcomes.push(d.allowed);
      spent = d.spent;
    }
    // 10 × 0.1 reaches 1 exactly (float sums included); the 11th and 12th are refused.
    expect(outcomes).toEqual([...new Array(10).fill(true), false, false]);
    expect(spent).toBeCloseTo(1);
    expect(spend(0.7, 0.5, 1)).toEqual({ allowed: false, spent: 0.7, total: 1 });
    expect(() => spend(0, 0, 1)).toThrow(RangeError);
  });
});

describe('private groups', () => {
  const group = {
    period: '2026-11-28',
    area: '001xx',
    commodity: 'electricity',
    direction: 'consumption',
    customers: 3,
    totalKwh: 0,
    meanKwh: 0,
    p50Kwh: 0,
    p90Kwh: 0,
  };
  const perCustomer = new Map([['001xx|electricity|consumption|2026-11-28', [10, 20, 500]]]);

  it('clamps each customer before summing, and states the noise scale', () => {
    // u = 0.5 draws zero Laplace noise; geometric draws cancel.
    const { groups, noise } = privateGroups(
      [group],
      perCustomer,
      { epsilon: 1, clampKwh: 50, groupsPerCustomer: 2 },
      () => 0.5,
    );
    expect(groups[0]).toMatchObject({ customers: 3, totalKwh: 80 });
    expect(noise).toMatchObject({ epsilonPerGroup: 0.5, sumScale: 200, clampKwh: 50 });
    expect(noise.countAlpha).toBeCloseTo(Math.exp(-0.25));
  });

  it('adds Laplace noise of the stated scale around the clamped total', () => {
    const runs = Array.from({ length: 4000 }, () =>
      privateGroups([group], perCustomer, { epsilon: 20, clampKwh: 50, groupsPerCustomer: 1 }),
    );
    const b = runs[0]?.noise.sumScale ?? 0;
    expect(b).toBe(5);
    const totals = runs.map((r) => r.groups[0]?.totalKwh ?? 0);
    const mean = totals.reduce((s, t) => s + t, 0) / totals.length;
    const variance = totals.reduce((s, t) => s + (t - mean) ** 2, 0) / totals.length;
    // Six standard deviations each (the noise is the real cryptographic source): the mean's
    // is √(2b²/4000) ≈ 0.11, the variance ratio's √(5/4000) ≈ 0.035 (Laplace: kurtosis 6).
    expect(Math.abs(mean - 80)).toBeLessThan(0.7);
    expect(variance / (2 * b * b)).toBeGreaterThan(0.78);
    expect(variance / (2 * b * b)).toBeLessThan(1.25);
  });
});

describe('groups per customer', () => {
  const key = (period: string, direction: string, commodity = 'electricity') => ({
    area: '001xx',
    period,
    commodity,
    direction,
  });

  it('counts a prosumer and a customer of several commodities in one group per pair and period', () => {
    // Two days: one group per day for consumers only.
    expect(
      groupsPerCustomer([key('2026-11-01', 'consumption'), key('2026-11-02', 'consumption')]),
    ).toBe(2);
    // A prosumer is in the consumption and the production group of each day: 2 × 2.
    const prosumer = [
      key('2026-11-01', 'consumption'),
      key('2026-11-01', 'production'),
      key('2026-11-02', 'consumption'),
    ];
    expect(groupsPerCustomer(prosumer)).toBe(4);
    expect(groupsPerCustomer([...prosumer, key('2026-11-01', 'consumption', 'heat')])).toBe(6);
    // The load profile: 48 cells per pair; an empty answer still splits over at least 1.
    expect(groupsPerCustomer(prosumer, true)).toBe(96);
    expect(groupsPerCustomer([])).toBe(1);
  });

  it("splits over the areas one customer can have sites in, at most the answer's areas", () => {
    const day = (area: string) => ({ ...key('2026-11-01', 'consumption'), area });
    // A home in 001xx and a cottage in 002xx: two groups of the one day.
    expect(groupsPerCustomer([day('001xx'), day('002xx'), day('003xx')], false, 2)).toBe(2);
    // One area in the answer: the cottage is in no other group of it.
    expect(groupsPerCustomer([day('001xx')], false, 2)).toBe(1);
    expect(groupsPerCustomer([day('001xx'), day('002xx')], false, 1)).toBe(1);
  });

  it('states the noise of the split epsilon', () => {
    const group = {
      ...key('2026-11-01', 'consumption'),
      customers: 5,
      totalKwh: 5,
      meanKwh: 1,
    };
    const values = new Map([['001xx|electricity|consumption|2026-11-01', [1, 1, 1, 1, 1]]]);
    const { noise } = privateGroups([group], values, {
      epsilon: 0.5,
      clampKwh: 50,
      groupsPerCustomer: groupsPerCustomer([group, key('2026-11-01', 'production')]),
    });
    // ε 0.5 over 2 groups: 0.25 a group, half for the sum: Laplace scale 50 / 0.125.
    expect(noise).toMatchObject({ epsilonPerGroup: 0.25, sumScale: 400 });
  });
});

import { describe, expect, it } from 'vitest';
import {
  type Contribution,
  compareGroups,
  guardedAggregates,
  guardedLoadProfile,
  percentile,
} from './aggregate.js';
import { DEFAULT_DISCLOSURE_RULE, groupId } from './group-guard.js';

const DAY_START = Date.UTC(2026, 10, 27, 22); // 28 Nov 2026 00:00 in Helsinki

const c = (pseudonym: string, area: string, kwh: number, startMs = DAY_START): Contribution => ({
  pseudonym,
  area,
  commodity: 'electricity',
  direction: 'consumption',
  startMs,
  kwh,
});

describe('guarded aggregates', () => {
  it('judges a group of 200,000 customers (no spread past the argument limit)', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => c(`p${i}`, '001xx', 1 + (i % 3)));
    const result = guardedAggregates(
      many,
      (p) => `o-${p}`,
      { granularity: 'day', areaDigits: 3 },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]).toMatchObject({ customers: 200_000, totalKwh: 399_999 });
  });

  const series = Array.from({ length: 14 }, (_, i) => `p${i}`);
  const rows = [...series.map((p) => c(p, '001xx', 1)), ...['g', 'h'].map((p) => c(p, '002xx', 1))];

  it('counts distinct customers, not series, and withholds small groups with the reason', () => {
    // 002xx moved to 110xx: alone under 11xxx and 1xxxx, so no sibling needs withholding
    // (under 0xxxx beside 001xx, 0xxxx minus 001xx would give it).
    const apart = rows.map((r) => (r.area === '002xx' ? { ...r, area: '110xx' } : r));
    const result = guardedAggregates(
      apart,
      (p) => (p === 'p13' ? 'o-p12' : `o-${p}`),
      { granularity: 'day', areaDigits: 3 },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]).toMatchObject({ area: '001xx', period: '2026-11-28', customers: 13 });
    expect(result.groups[0]?.totalKwh).toBeCloseTo(14);
    expect(result.withheld).toEqual([
      expect.objectContaining({ area: '110xx', reason: 'fewer-than-k-customers' }),
    ]);
  });

  it('withholds a group whose left-out customers (objectors) would fail the rule as a group of their own', () => {
    // 20 customers in 001xx, one day: grid planning counts all of them; marketing leaves out
    // the objectors. Grid's total minus marketing's would be the objectors' total.
    const day = Array.from({ length: 20 }, (_, i) => c(`s${i}`, '001xx', 1));
    const answer = (objectors: number) => {
      const left = new Set(day.slice(0, objectors).map((r) => r.pseudonym));
      return guardedAggregates(
        day,
        (p) => (left.has(p) ? undefined : `o-${p}`),
        {
          granularity: 'day',
          areaDigits: 3,
          leftOutOf: (p) => (left.has(p) ? `o-${p}` : undefined),
        },
        DEFAULT_DISCLOSURE_RULE,
      );
    };
    // No objector, or seven alike (k and no one over 15 % of their part): released.
    expect(answer(0).groups).toEqual([expect.objectContaining({ area: '001xx', customers: 20 })]);
    expect(answer(7).groups).toEqual([expect.objectContaining({ area: '001xx', customers: 13 })]);
    // One to four objectors (fewer than k), or five (each 20 % of their part): their total
    // could be had by subtraction, so withheld.
    for (const objectors of [1, 2, 4, 5]) {
      const result = answer(objectors);
      expect(result.groups).toEqual([]);
      expect(result.withheld).toEqual([
        expect.objectContaining({ area: '001xx', reason: 'left-out-part-fails-rule' }),
      ]);
      expect(result.customerValues.size).toBe(0);
    }
    // Without a left-out owner function (grid planning itself), nothing changes.
    const left = new Set(['s0']);
    const grid = guardedAggregates(
      day,
      (p) => (left.has(p) ? undefined : `o-${p}`),
      { granularity: 'day', areaDigits: 3 },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(grid.groups).toHaveLength(1);
  });

  it("withholds a sibling too when the withheld groups' left-out parts together fail the rule", () => {
    // 001xx: 8 customers, 1 objector (withheld: its left-out part). 002xx: 14 customers, 7
    // objectors (released alone). 00xxx asked for marketing minus 002xx would give 001xx's
    // marketing total, and grid planning's 001xx minus that its objector's.
    const rows2 = [
      ...Array.from({ length: 8 }, (_, i) => c(`a${i}`, '001xx', 1)),
      ...Array.from({ length: 14 }, (_, i) => c(`b${i}`, '002xx', 1)),
    ];
    const objects = (p: string) => p === 'a0' || (p.startsWith('b') && Number(p.slice(1)) < 7);
    const marketing = (areaDigits: number) =>
      guardedAggregates(
        rows2,
        (p) => (objects(p) ? undefined : `o-${p}`),
        { granularity: 'day', areaDigits, leftOutOf: (p) => (objects(p) ? `o-${p}` : undefined) },
        DEFAULT_DISCLOSURE_RULE,
      );
    const result = marketing(3);
    expect(result.groups).toEqual([]);
    expect(result.withheld).toEqual([
      expect.objectContaining({ area: '001xx', reason: 'left-out-part-fails-rule' }),
      expect.objectContaining({ area: '002xx', reason: 'complementary-suppression' }),
    ]);
    // Asked at two digits, the union (8 objectors alike) passes: 00xxx is released.
    expect(marketing(2).groups).toEqual([
      expect.objectContaining({ area: '00xxx', customers: 14 }),
    ]);
  });

  it('protects a group everyone in it left out (all objectors) as a withheld one', () => {
    // 001xx: one customer, who objected: no marketing cell at all. 002xx: 10 customers;
    // 003xx: 14, 7 of them objecting. Grid planning's 00xxx and 003xx minus marketing's
    // would give 001xx's objector unless a sibling is withheld with it.
    const rows3 = [
      c('x', '001xx', 1),
      ...Array.from({ length: 10 }, (_, i) => c(`d${i}`, '002xx', 1)),
      ...Array.from({ length: 14 }, (_, i) => c(`e${i}`, '003xx', 1)),
    ];
    const objects = (p: string) => p === 'x' || (p.startsWith('e') && Number(p.slice(1)) < 7);
    const result = guardedAggregates(
      rows3,
      (p) => (objects(p) ? undefined : `o-${p}`),
      { granularity: 'day', areaDigits: 3, leftOutOf: (p) => (objects(p) ? `o-${p}` : undefined) },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(result.withheld).toContainEqual(
      expect.objectContaining({ area: '001xx', reason: 'fewer-than-k-customers' }),
    );
    expect(result.withheld).toContainEqual(
      expect.objectContaining({ area: '003xx', reason: 'complementary-suppression' }),
    );
    // Grid planning withholds 001xx and, as its complement, 002xx (its smallest sibling).
    // Released for marketing, 002xx would give grid's 00xxx − 003xx − 002xx = x's total:
    // what grid planning withholds is withheld for marketing too.
    const grid = guardedAggregates(
      rows3,
      (p) => `o-${p}`,
      { granularity: 'day', areaDigits: 3 },
      DEFAULT_DISCLOSURE_RULE,
    );
    const gridWithheld = grid.withheld.map((w) => w.area);
    expect(gridWithheld).toEqual(['001xx', '002xx']);
    const marketing = guardedAggregates(
      rows3,
      (p) => (objects(p) ? undefined : `o-${p}`),
      {
        granularity: 'day',
        areaDigits: 3,
        leftOutOf: (p) => (objects(p) ? `o-${p}` : undefined),
        alsoWithheld: new Set(grid.withheld.map((w) => groupId(w))),
      },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(marketing.groups.map((g) => g.area)).not.toContain('002xx');
    expect(marketing.withheld.map((w) => w.area)).toEqual(['001xx', '002xx', '003xx']);
  });

  it("holds the load profile's left-out part to the rule too", () => {
    const hours = Array.from({ length: 10 }, (_, i) =>
      c(`s${i}`, '001xx', 1, DAY_START + 3_600_000 * 10),
    );
    const result = guardedLoadProfile(
      hours,
      (p) => (p === 's0' ? undefined : `o-${p}`),
      { areaDigits: 3, leftOutOf: (p) => (p === 's0' ? 'o-s0' : undefined) },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(result.groups).toEqual([]);
    expect(result.withheld).toEqual([
      expect.objectContaining({ period: 'weekend-10', reason: 'left-out-part-fails-rule' }),
    ]);
  });

  it('withholds the released sibling that would give away a withheld area by subtraction', () => {
    const result = guardedAggregates(
      rows,
      (p) => `o-${p}`,
      { granularity: 'day', areaDigits: 3 },
      DEFAULT_DISCLOSURE_RULE,
    );
    // 00xxx (another query) minus 001xx would be 002xx: 001xx is withheld too.
    expect(result.groups).toEqual([]);
    expect(result.withheld.map((w) => [w.area, w.reason])).toEqual([
      ['001xx', 'complementary-suppression'],
      ['002xx', 'fewer-than-k-customers'],
    ]);
    expect(result.customerValues.size).toBe(0);
  });

  it('withholds a group one customer dominates', () => {
    const result = guardedAggregates(
      [...rows, c('big', '001xx', 10)],
      (p) => `o-${p}`,
      { granularity: 'day', areaDigits: 3 },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(result.withheld).toContainEqual(
      expect.objectContaining({ area: '001xx', reason: 'dominated-by-one-customer' }),
    );
  });

  it('merges into a coarser area, where the group reaches k', () => {
    const result = guardedAggregates(
      rows,
      (p) => `o-${p}`,
      { granularity: 'day', areaDigits: 2 },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(result.groups.map((g) => [g.area, g.customers])).toEqual([['00xxx', 16]]);
    expect(result.withheld).toEqual([]);
  });

  it('leaves out series the filter does not resolve, in values and in k', () => {
    const result = guardedAggregates(
      rows,
      (p) => (Number(p.slice(1)) >= 4 ? undefined : `o-${p}`),
      { granularity: 'day', areaDigits: 3 },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(result.groups).toEqual([]);
    expect(result.withheld.map((w) => w.area)).toEqual(['001xx', '002xx']);
  });

  it('builds a load profile of mean hourly kWh by local hour and day type', () => {
    const hour = 3_600_000;
    const profileRows = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].flatMap((p) => [
      c(p, '001xx', 1, DAY_START + 14 * hour), // Saturday 14:00 local
      c(p, '001xx', 3, DAY_START + (14 + 7 * 24) * hour), // the next Saturday 14:00
    ]);
    const result = guardedLoadProfile(
      profileRows,
      (p) => `o-${p}`,
      { areaDigits: 3 },
      DEFAULT_DISCLOSURE_RULE,
    );
    expect(result.groups).toEqual([
      expect.objectContaining({ period: 'weekend-14', customers: 7, meanKwh: 2, totalKwh: 14 }),
    ]);
  });

  it('interpolates percentiles', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([5], 0.9)).toBe(5);
  });
});

describe('compareGroups', () => {
  it('orders the autumn change’s two 03:00 hours by their instant, other labels by text', () => {
    const g = (period: string, area = '001xx') => ({
      period,
      area,
      commodity: 'electricity',
      direction: 'consumption',
    });
    const sorted = [
      g('2026-10-25T04:00+02:00'),
      g('2026-10-25T03:00+02:00'),
      g('2026-10-25T03:00+03:00'),
    ].sort(compareGroups);
    expect(sorted.map((s) => s.period)).toEqual([
      '2026-10-25T03:00+03:00',
      '2026-10-25T03:00+02:00',
      '2026-10-25T04:00+02:00',
    ]);
    expect(
      [g('2026-10-26'), g('2026-10-25', '002xx'), g('2026-10-25')].sort(compareGroups),
    ).toEqual([g('2026-10-25'), g('2026-10-25', '002xx'), g('2026-10-26')]);
  });
});

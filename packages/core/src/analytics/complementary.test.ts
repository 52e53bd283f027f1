import { describe, expect, it } from 'vitest';
import {
  complementarySuppression,
  parentArea,
  parentPeriod,
  type SuppressionCell,
} from './complementary.js';
import { DEFAULT_DISCLOSURE_RULE as RULE } from './group-guard.js';

/** A cell of n equal customers of 1 kWh each (exact per-customer values unless `bounds`). */
const cell = (
  area: string,
  period: string,
  n: number,
  withheld: boolean,
  options: { kwh?: number; bounds?: boolean; prefix?: string } = {},
): SuppressionCell => {
  const each = (options.kwh ?? n) / n;
  const perCustomer = new Map(
    Array.from({ length: n }, (_, i) => [`${options.prefix ?? area}-${i}`, each]),
  );
  return {
    key: { area, period, commodity: 'electricity', direction: 'consumption' },
    withheld,
    kwh: options.kwh ?? n,
    customersAtLeast: n,
    topAtMost: each,
    ...(options.bounds ? {} : { perCustomer }),
  };
};
const areas = (keys: { area: string; period: string }[]) =>
  keys.map((k) => `${k.area} ${k.period}`);

describe('complementary suppression', () => {
  it('protects a withheld area against every ancestor, not only its parent', () => {
    // 011xx is the only child of 01xxx: no parent family sees it beside a sibling, yet
    // 0xxxx minus the released 001xx and 002xx would give it.
    const added = complementarySuppression(
      [
        cell('001xx', '2026-11-28', 50, false),
        cell('002xx', '2026-11-28', 40, false),
        cell('011xx', '2026-11-28', 3, true),
      ],
      RULE,
    );
    expect(areas(added)).toEqual(['002xx 2026-11-28']);
  });

  it('protects withheld hours against their month, not only their day', () => {
    // Each day has one hour: no day family; the month family holds all three.
    const added = complementarySuppression(
      [
        cell('001xx', '2026-11-01T00:00+02:00', 30, false),
        cell('001xx', '2026-11-02T00:00+02:00', 20, false),
        cell('001xx', '2026-11-03T00:00+02:00', 2, true),
      ],
      RULE,
    );
    expect(areas(added)).toEqual(['001xx 2026-11-02T00:00+02:00']);
  });

  it('knows the parents: one area digit shorter, the local day, month and year', () => {
    expect(parentArea('001xx')).toBe('00xxx');
    expect(parentArea('00xxx')).toBe('0xxxx');
    expect(parentArea('0xxxx')).toBeUndefined();
    expect(parentArea('unknown')).toBeUndefined();
    expect(parentPeriod('2026-10-25T03:00+02:00')).toBe('2026-10-25');
    expect(parentPeriod('2026-10-25')).toBe('2026-10');
    expect(parentPeriod('2026-10')).toBe('2026');
    expect(parentPeriod('weekday-14')).toBeUndefined();
  });

  it('withholds the smallest released sibling of a single withheld child', () => {
    // 00xxx minus 001xx and 004xx would give 002xx: one more sibling must go.
    const added = complementarySuppression(
      [
        cell('001xx', '2026-11-28', 7, false),
        cell('002xx', '2026-11-28', 6, true),
        cell('004xx', '2026-11-28', 9, false),
        cell('010xx', '2026-11-28', 8, false),
      ],
      RULE,
    );
    expect(areas(added)).toEqual(['001xx 2026-11-28']);
  });

  it('needs nothing more when the withheld children together pass, or when all are withheld', () => {
    const day = '2026-11-28';
    // Two children of 4 distinct customers each: their union has 8 ≥ 5, none above 15 %.
    expect(
      complementarySuppression(
        [cell('001xx', day, 4, true), cell('002xx', day, 4, true), cell('004xx', day, 9, false)],
        RULE,
      ),
    ).toEqual([]);
    expect(
      complementarySuppression([cell('001xx', day, 3, true), cell('002xx', day, 4, true)], RULE),
    ).toEqual([]);
  });

  it('judges the union by bounds when per-customer values are unknown', () => {
    const day = '2026-11-28';
    // Bounds: customers ≥ max(4, 4) = 4 < 5, so the union does not pass and a sibling goes.
    const added = complementarySuppression(
      [
        cell('001xx', day, 4, true, { bounds: true }),
        cell('002xx', day, 4, true, { bounds: true }),
        cell('004xx', day, 9, false, { bounds: true }),
      ],
      RULE,
    );
    expect(areas(added)).toEqual(['004xx 2026-11-28']);
  });

  it('works along time: the withheld days of a month, the hours of a day', () => {
    // The same customers every day: the union of two withheld days still has 3 customers, so
    // the smaller released day goes; with it the union has 10 customers, none above 15 %.
    const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'].map((d, i) =>
      cell('001xx', d, i < 2 ? 3 : 10, i < 2, { kwh: [7, 7, 200, 100][i], prefix: 'same' }),
    );
    expect(areas(complementarySuppression(days, RULE))).toEqual(['001xx 2026-11-04']);
    // Days of different months do not protect each other.
    const months = [cell('001xx', '2026-11-30', 3, true), cell('001xx', '2026-12-01', 9, false)];
    expect(complementarySuppression(months, RULE)).toEqual([]);
    expect(complementarySuppression(days, RULE, { area: true, time: false })).toEqual([]);
  });

  it('iterates both dimensions to a fixed point', () => {
    // 002xx on day 1 is below k: its area sibling 001xx goes, and along time the smallest
    // other day of 002xx (day 3). Days 1 and 3 of 002xx together are dominated by the two
    // customers of day 1 (17.5 %), so day 2 goes too; then every family passes.
    const cells = [
      cell('001xx', '2026-11-01', 7, false),
      cell('002xx', '2026-11-01', 2, true),
      cell('002xx', '2026-11-02', 7, false, { kwh: 70 }),
      cell('002xx', '2026-11-03', 7, false, { kwh: 20 }),
      cell('001xx', '2026-11-03', 7, false),
    ];
    const added = complementarySuppression(cells, RULE);
    expect(areas(added)).toEqual(['001xx 2026-11-01', '002xx 2026-11-03', '002xx 2026-11-02']);
    // At the fixed point every family's withheld union passes or has nothing released.
    const again = complementarySuppression(
      cells.map((c) =>
        areas(added).includes(`${c.key.area} ${c.key.period}`) ? { ...c, withheld: true } : c,
      ),
      RULE,
    );
    expect(again).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { areaVerdict } from './area-guard.js';
import { coarseAreaFigures } from './coarse-areas.js';
import { DEFAULT_DISCLOSURE_RULE as RULE } from './group-guard.js';

const child = (area: string, customersMax: number, kwh: number, topSum: number, startMs = 0) => ({
  area,
  commodity: 'electricity',
  direction: 'consumption',
  startMs,
  kwh,
  topSum,
  customersSum: customersMax * 2,
  customersMax,
  windows: 2,
});

describe('coarser areas from the per-area figures', () => {
  it('adds kWh and top over child areas, takes the largest count, keeps periods and directions apart', () => {
    const merged = coarseAreaFigures(
      [
        child('001xx', 4, 40, 3),
        child('002xx', 6, 60, 5),
        child('011xx', 3, 30, 2),
        child('001xx', 4, 41, 3, 86_400_000),
        { ...child('002xx', 6, 7, 1), direction: 'production' },
      ],
      2,
    );
    expect(merged).toEqual([
      { ...child('00xxx', 6, 100, 8), customersSum: 20, childAreas: 2 },
      { ...child('01xxx', 3, 30, 2), childAreas: 1 },
      { ...child('00xxx', 4, 41, 3, 86_400_000), childAreas: 1 },
      { ...child('00xxx', 6, 7, 1), direction: 'production', childAreas: 1 },
    ]);
    const one = coarseAreaFigures([child('001xx', 4, 40, 3), child('011xx', 3, 30, 2)], 1);
    expect(one).toEqual([{ ...child('0xxxx', 4, 70, 5), customersSum: 14, childAreas: 2 }]);
  });

  it('keeps each area its own group at 3 digits and merges load-profile cells by cell', () => {
    const cell = (area: string) => ({
      ...child(area, 5, 10, 1),
      startMs: undefined,
      cell: 'weekday-14',
    });
    expect(coarseAreaFigures([cell('001xx'), cell('002xx')], 3)).toHaveLength(2);
    expect(coarseAreaFigures([cell('001xx'), cell('002xx')], 2)).toEqual([
      { ...cell('00xxx'), kwh: 20, topSum: 2, customersSum: 20, childAreas: 2 },
    ]);
  });

  it('bounds in the safe direction: a customer in two sub-areas cannot pass k on the sum of counts', () => {
    // Two sub-areas of 4 counted customers each (one customer has a site in both: 7 in
    // all): the sum (8) would pass k=5 but the largest child's 4 does not, so the coarse
    // group goes to the exact computation instead of being released on a wrong count.
    const [g] = coarseAreaFigures([child('001xx', 4, 40, 10), child('002xx', 4, 40, 10)], 2);
    expect(g?.customersMax).toBe(4);
    expect(
      areaVerdict(
        { kwh: g?.kwh ?? 0, customersAtLeast: g?.customersMax ?? 0, topAtMost: 0, exact: false },
        RULE,
      ),
    ).toEqual({ undecided: true });
    // The largest customer's bound is the sum of the children's `top`: 20 of 80 = 25 %.
    expect(
      areaVerdict({ kwh: 80, customersAtLeast: 6, topAtMost: g?.topSum ?? 0, exact: false }, RULE),
    ).toEqual({ undecided: true });
  });
});

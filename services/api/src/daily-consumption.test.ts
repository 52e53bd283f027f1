import { InvalidQueryValueError } from '@lukema/platform';
import { describe, expect, it } from 'vitest';
import { dailyConsumptionByArea } from './daily-consumption.js';

const readings = {
  dailyConsumption: async () => [
    { pseudonym: 'a', day: '2026-11-01T22:00:00Z', kwh: 1 },
    { pseudonym: 'b', day: '2026-11-01T22:00:00Z', kwh: 2 },
    { pseudonym: 'c', day: '2026-11-01T22:00:00Z', kwh: 3 },
  ],
};
const areas = {
  areasOfPseudonyms: async () =>
    new Map([
      ['a', '001xx'],
      ['b', '002xx'],
    ]),
};
const window = { fromMs: 0, toMs: 86_400_000 };

describe('dailyConsumptionByArea', () => {
  it("gives each series the registry's area and keeps only the area asked for", async () => {
    const all = await dailyConsumptionByArea(readings, areas, 'b', window);
    expect(all.map((r) => [r.pseudonym, r.area])).toEqual([
      ['a', '001xx'],
      ['b', '002xx'],
      ['c', 'unknown'],
    ]);
    const one = await dailyConsumptionByArea(readings, areas, 'b', { ...window, area: '002xx' });
    expect(one).toEqual([{ pseudonym: 'b', area: '002xx', day: '2026-11-01T22:00:00Z', kwh: 2 }]);
    const unknown = await dailyConsumptionByArea(readings, areas, 'b', {
      ...window,
      area: 'unknown',
    });
    expect(unknown.map((r) => r.pseudonym)).toEqual(['c']);
  });

  it('refuses an area not of its shape before any query', async () => {
    await expect(
      dailyConsumptionByArea(readings, areas, 'b', { ...window, area: '001xx" or true' }),
    ).rejects.toBeInstanceOf(InvalidQueryValueError);
  });
});

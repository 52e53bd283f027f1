import type { Objections, PseudonymOwner } from '@lukema/platform';
import { describe, expect, it } from 'vitest';
import { ObjectionFilter } from './objection-filter.js';

const owners: Record<string, PseudonymOwner> = {
  p1: { pseudonym: 'p1', contractId: 'c1', customerId: 'A', meteringPointId: 'm1' },
  p2: { pseudonym: 'p2', contractId: 'c2', customerId: 'B', meteringPointId: 'm2' },
  p3: { pseudonym: 'p3', contractId: 'c3', customerId: 'C', meteringPointId: 'm3' },
};
const objections: Record<string, Objections> = {
  A: { directMarketing: true, marketResearch: false, updatedAt: 'x', source: 'customer-system' },
  B: { directMarketing: false, marketResearch: true, updatedAt: 'x', source: 'dpo' },
};
const filter = new ObjectionFilter({
  findPseudonym: async (p) => owners[p],
  objectionsOf: async (ids) =>
    new Map(ids.flatMap((id) => (objections[id] ? [[id, objections[id]]] : []))),
  allObjections: async () => new Map(Object.entries(objections)),
  contractsOfCustomer: async (id) =>
    Object.values(owners)
      .filter((o) => o.customerId === id)
      .map((o) => ({ pseudonyms: { [o.meteringPointId]: o.pseudonym } }) as never),
});

describe('ObjectionFilter', () => {
  it('removes those who object to direct marketing from marketing only', async () => {
    expect(await filter.permitted('marketing', ['p1', 'p2', 'p3'])).toEqual(new Set(['p2', 'p3']));
  });

  it('removes those who object to research from market research only', async () => {
    expect(await filter.permitted('market_research', ['p1', 'p2', 'p3'])).toEqual(
      new Set(['p1', 'p3']),
    );
  });

  it('leaves other purposes alone', async () => {
    expect(await filter.permitted('grid_planning', ['p1', 'p2', 'p3', 'p1'])).toEqual(
      new Set(['p1', 'p2', 'p3']),
    );
  });

  it('lists the objectors’ series for the purpose they objected to, none for others', async () => {
    expect(await filter.objectors('marketing')).toEqual(new Map([['p1', 'customer:A']]));
    expect(await filter.objectors('market_research')).toEqual(new Map([['p2', 'customer:B']]));
    expect(await filter.objectors('grid_planning')).toEqual(new Map());
  });

  it('drops series that resolve to no one on objection purposes', async () => {
    expect(await filter.permitted('marketing', ['unknown', 'p3'])).toEqual(new Set(['p3']));
  });

  it('has the per-area path subtract the series without an owner the rollups counted, as the per-series path drops them', async () => {
    // The rollups noted `orphan` (no owner) and `p3` (an owner since): only the orphan goes.
    const withUnowned = new ObjectionFilter(
      {
        findPseudonym: async (p) => owners[p],
        objectionsOf: async () => new Map(),
        allObjections: async () => new Map(),
        contractsOfCustomer: async () => [],
      },
      { all: async () => ['orphan', 'p3'] },
    );
    for (const purpose of ['marketing', 'market_research'] as const) {
      expect(await withUnowned.objectors(purpose)).toEqual(new Map([['orphan', 'series:orphan']]));
      expect(await withUnowned.permitted(purpose, ['orphan', 'p3'])).toEqual(new Set(['p3']));
    }
    expect(await withUnowned.objectors('grid_planning')).toEqual(new Map());
    expect(await withUnowned.owners('grid_planning', ['orphan'])).toEqual(
      new Map([['orphan', 'series:orphan']]),
    );
  });
});

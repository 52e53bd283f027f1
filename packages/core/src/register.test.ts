import { describe, expect, it } from 'vitest';
import type { HeadEndFlag } from './reading.js';
import { REGISTER_EDGES_KEPT, type RegisterReadBatch, registerDeltas } from './register.js';

const T0 = Date.UTC(2026, 0, 15, 6);
const Q = 15 * 60 * 1000;
const ROLLOVER = 1_000_000_000_000;

function batchOf(reads: Array<[number, number, HeadEndFlag[]?]>): RegisterReadBatch {
  return {
    messageId: 'm-1',
    headEndId: 'he-1',
    meteringPointId: '643007574000138589',
    direction: 'consumption',
    resolution: 'PT15M',
    sentAtMs: T0 + Q * 24,
    rolloverWh: ROLLOVER,
    reads: reads.map(([step, registerWh, flags = []]) => ({
      atMs: T0 + step * Q,
      registerWh,
      flags,
    })),
  };
}

describe('registerDeltas', () => {
  it('differences consecutive reads in any order, carrying the later read’s flags', () => {
    const result = registerDeltas(
      batchOf([
        [2, 1_700, ['ESTIMATED']],
        [0, 1_000],
        [1, 1_250],
      ]),
      [],
    );
    expect(result.intervals).toEqual([
      { startMs: T0, quantityWh: 250, flags: [] },
      { startMs: T0 + Q, quantityWh: 450, flags: ['ESTIMATED'] },
    ]);
    expect(result.edges).toEqual([
      { atMs: T0, registerWh: 1_000 },
      { atMs: T0 + 2 * Q, registerWh: 1_700 },
    ]);
    expect(result.rollovers).toBe(0);
    expect(result.problems).toEqual([]);
  });

  it('adds the rollover when the register wraps to 0', () => {
    const result = registerDeltas(
      batchOf([
        [0, ROLLOVER - 300],
        [1, 200],
      ]),
      [],
    );
    expect(result.intervals).toEqual([{ startMs: T0, quantityWh: 500, flags: [] }]);
    expect(result.rollovers).toBe(1);
    expect(result.problems).toEqual([]);
  });

  it('keeps an implausible decrease as a negative value flagged DATA_NOT_VALID', () => {
    const result = registerDeltas(
      batchOf([
        [0, 5_000_000],
        [1, 4_000_000, ['CLOCK_ADJUSTED']],
      ]),
      [],
    );
    expect(result.intervals).toEqual([
      { startMs: T0, quantityWh: -1_000_000, flags: ['CLOCK_ADJUSTED', 'DATA_NOT_VALID'] },
    ]);
    expect(result.rollovers).toBe(0);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/not a plausible rollover/);
  });

  it('does not bridge a gap between reads, and says so', () => {
    const result = registerDeltas(
      batchOf([
        [0, 1_000],
        [1, 1_100],
        [4, 1_900],
        [5, 2_000],
      ]),
      [],
    );
    expect(result.intervals.map((i) => [i.startMs, i.quantityWh])).toEqual([
      [T0, 100],
      [T0 + 4 * Q, 100],
    ]);
    expect(result.problems).toEqual([
      'gap: 2 PT15M interval(s) between 2026-01-15T06:15:00.000Z and 2026-01-15T07:00:00.000Z not bridged',
    ]);
  });

  it('bridges to the previous message when its last read is one step before', () => {
    const first = registerDeltas(
      batchOf([
        [0, 1_000],
        [1, 1_100],
      ]),
      [],
    );
    const second = registerDeltas(
      batchOf([
        [2, 1_400],
        [3, 1_500],
      ]),
      first.edges,
    );
    expect(second.intervals.map((i) => [i.startMs, i.quantityWh])).toEqual([
      [T0 + Q, 300],
      [T0 + 2 * Q, 100],
    ]);
    expect(second.edges.map((e) => e.atMs)).toEqual([T0, T0 + Q, T0 + 2 * Q, T0 + 3 * Q]);
    expect(second.problems).toEqual([]);
  });

  it('does not bridge to a previous read further back, and lists the gap', () => {
    const result = registerDeltas(batchOf([[3, 1_500]]), [{ atMs: T0, registerWh: 1_000 }]);
    expect(result.intervals).toEqual([]);
    expect(result.problems).toEqual([
      'gap: 2 PT15M interval(s) between 2026-01-15T06:00:00.000Z and 2026-01-15T06:45:00.000Z not bridged',
    ]);
    expect(result.edges.map((e) => e.atMs)).toEqual([T0, T0 + 3 * Q]);
  });

  it('bridges a late message to the newer one that came first: no interval lost to the order', () => {
    const earlier = batchOf([
      [0, 1_000],
      [1, 1_100],
    ]);
    const later = batchOf([
      [2, 1_400],
      [3, 1_500],
    ]);
    const inOrder = registerDeltas(later, registerDeltas(earlier, []).edges);
    const laterFirst = registerDeltas(later, []);
    const late = registerDeltas(earlier, laterFirst.edges);
    const all = (
      ...rs: Array<{ intervals: Array<{ startMs: number; quantityWh: number | null }> }>
    ) =>
      rs
        .flatMap((r) => r.intervals.map((i) => [i.startMs, i.quantityWh]))
        .sort((a, b) => (a[0] as number) - (b[0] as number));
    // Either order gives the same three intervals, the one between the messages included.
    expect(all(registerDeltas(earlier, []), inOrder)).toEqual([
      [T0, 100],
      [T0 + Q, 300],
      [T0 + 2 * Q, 100],
    ]);
    expect(all(laterFirst, late)).toEqual(all(registerDeltas(earlier, []), inOrder));
    expect(late.problems).toEqual([]);
    expect(late.edges.map((e) => e.atMs)).toEqual([T0, T0 + Q, T0 + 2 * Q, T0 + 3 * Q]);
    // A message read again bridges to its neighbours, never to its own reads.
    expect(all(registerDeltas(later, late.edges))).toEqual(all(inOrder));
    expect(registerDeltas(batchOf([]), late.edges).edges).toEqual(late.edges);
  });

  it('does not bridge to a later read more than a step after the message', () => {
    const result = registerDeltas(
      batchOf([
        [0, 1_000],
        [1, 1_100],
      ]),
      [{ atMs: T0 + 3 * Q, registerWh: 1_500 }],
    );
    expect(result.intervals).toEqual([{ startMs: T0, quantityWh: 100, flags: [] }]);
  });

  it('keeps the newest reads, at most REGISTER_EDGES_KEPT', () => {
    let edges: ReturnType<typeof registerDeltas>['edges'] = [];
    for (let m = 0; m < REGISTER_EDGES_KEPT; m++) {
      edges = registerDeltas(
        batchOf([
          [4 * m, 1_000 + m],
          [4 * m + 3, 1_000 + m],
        ]),
        edges,
      ).edges;
    }
    expect(edges).toHaveLength(REGISTER_EDGES_KEPT);
    expect(edges[0]?.atMs).toBe(T0 + 4 * (REGISTER_EDGES_KEPT / 2) * Q);
    expect(edges.at(-1)?.atMs).toBe(T0 + (4 * (REGISTER_EDGES_KEPT - 1) + 3) * Q);
  });

  it('lists a duplicate read and uses the other copy', () => {
    const result = registerDeltas(
      batchOf([
        [0, 1_000],
        [0, 1_000],
        [1, 1_200],
      ]),
      [],
    );
    expect(result.intervals).toEqual([{ startMs: T0, quantityWh: 200, flags: [] }]);
    expect(result.problems).toEqual(['duplicate read at 2026-01-15T06:00:00.000Z']);
  });
});

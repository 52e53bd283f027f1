import { createHash } from 'node:crypto';
import type { IntervalBatch } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { gatedWindows, pushWindow, windowClaims } from './push-window.js';

const base: IntervalBatch = {
  messageId: 'm',
  headEndId: 'he',
  meteringPointId: '643007000000000018',
  direction: 'consumption',
  resolution: 'PT15M',
  sentAtMs: 0,
  intervals: [0, 1, 2].map((i) => ({ startMs: i * 900_000, quantityWh: 100 + i, flags: [] })),
};
const withIntervals = (intervals: IntervalBatch['intervals']) => ({ ...base, intervals });

describe('pushWindow', () => {
  it('digests as the stored digests were made (a changed digest would read as a correction)', () => {
    const stored = (b: IntervalBatch) => {
      const numbers = new Float64Array(
        b.intervals.flatMap((i) => [i.startMs, i.quantityWh ?? Number.NaN]),
      );
      const hash = createHash('sha1').update(new Uint8Array(numbers.buffer));
      const flags = b.intervals
        .map((i, k) => (i.flags.length > 0 ? `${k}:${i.flags.join('+')},` : ''))
        .join('');
      if (flags !== '') hash.update(flags);
      return hash.digest('base64');
    };
    const long = withIntervals(
      Array.from({ length: 300 }, (_, i) => ({
        startMs: i * 900_000,
        quantityWh: i % 7 === 0 ? null : i,
        flags: [],
      })),
    );
    const flagged = withIntervals([
      { startMs: 0, quantityWh: 1, flags: ['ESTIMATED', 'CLOCK_ADJUSTED'] },
      { startMs: 900_000, quantityWh: 2, flags: [] },
    ]);
    for (const b of [base, long, flagged, base]) expect(pushWindow(b).digest).toBe(stored(b));
  });

  it('names the series and span, and digests the values whatever their order', () => {
    const w = pushWindow(base);
    expect(w.id).toBe('643007000000000018|consumption|PT15M|0|1800000');
    expect(w.startMs).toBe(0);
    expect(pushWindow(withIntervals([...base.intervals].reverse())).digest).toBe(w.digest);
  });

  it('tells another value, a missing value or other flags apart', () => {
    const [a, b, c] = base.intervals;
    if (!a || !b || !c) throw new Error('fixture');
    const digest = pushWindow(base).digest;
    const changed = [
      withIntervals([a, { ...b, quantityWh: 102 }, c]),
      withIntervals([a, { ...b, quantityWh: null }, c]),
      withIntervals([a, { ...b, flags: ['ESTIMATED'] }, c]),
    ].map((x) => pushWindow(x).digest);
    expect(new Set([digest, ...changed]).size).toBe(4);
  });
});

describe('windowClaims', () => {
  it('claims each window once, for its newest revision, owned by the message carrying it', () => {
    const message = (offset: number) => ({
      offset: String(offset),
      key: null,
      value: null,
      headers: {},
      timestampMs: 0,
    });
    const later = {
      ...base,
      intervals: base.intervals.map((i) => ({ ...i, startMs: i.startMs + 86_400_000 })),
    };
    const decoded = [
      { message: message(7), batch: { ...base, sentAtMs: 2 } },
      { message: message(8), batch: { ...base, sentAtMs: 5 } },
      { message: message(9), batch: { ...base, sentAtMs: 3 } },
      { message: message(10), batch: later },
    ];
    const claims = windowClaims(
      decoded,
      decoded.map((d) => gatedWindows(d.batch, pushWindow(d.batch))),
      { topic: 'readings', partition: 2 },
    );
    expect([...claims.values()].map((c) => [c.rev, c.owner])).toEqual([
      [5, 'readings/2/8'],
      [0, 'readings/2/10'],
    ]);
  });
});

describe('gatedWindows', () => {
  it('judges stored readings by their runs of one revision, under the pushes’ window ids', () => {
    const q = 900_000;
    const reading = (i: number, revision: number) => ({
      startMs: i * q,
      quantityWh: i,
      quality: 'measured' as const,
      flags: [],
      revision,
    });
    // Out of order as a batch may hold them: quarters 0-2 of revision 5, 3-4 of 9, 5 of 5.
    const stored = {
      ...base,
      sentAtMs: 5,
      readings: [
        reading(3, 9),
        reading(0, 5),
        reading(1, 5),
        reading(2, 5),
        reading(4, 9),
        reading(5, 5),
      ],
    };
    expect(gatedWindows(stored, undefined)).toEqual([
      { id: '643007000000000018|consumption|PT15M|0|1800000', startMs: 0, endMs: 2 * q, rev: 5 },
      {
        id: `643007000000000018|consumption|PT15M|${3 * q}|${4 * q}`,
        startMs: 3 * q,
        endMs: 4 * q,
        rev: 9,
      },
      {
        id: `643007000000000018|consumption|PT15M|${5 * q}|${5 * q}`,
        startMs: 5 * q,
        endMs: 5 * q,
        rev: 5,
      },
    ]);
    // The push that wrote quarters 0-2 whole claims the same window as its stored readings.
    expect(gatedWindows(stored, undefined)[0]?.id).toBe(pushWindow(base).id);
    expect(gatedWindows({ ...base, sentAtMs: 7 }, pushWindow(base))).toEqual([
      { id: pushWindow(base).id, startMs: 0, endMs: 2 * q, rev: 7 },
    ]);
  });
});

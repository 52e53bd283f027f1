import { IntervalBatchCodec } from '@lukema/schemas';
import { describe, expect, it } from 'vitest';
import { BURST_MS } from './bursts.js';
import { lastCompleteWindow, livePushes } from './live.js';
import { simulatedPopulation } from './population.js';

const codec = new IntervalBatchCodec();
const sites = simulatedPopulation(40, 3);
const options = { sites, slices: 4, badShare: 0, seed: 3 };
const now = Date.UTC(2026, 10, 30, 13, 7);

describe('live pushes', () => {
  it('send the last window that has ended', () => {
    expect(lastCompleteWindow(now)).toBe(Date.UTC(2026, 10, 30, 6));
    expect(lastCompleteWindow(Date.UTC(2026, 10, 30, 12))).toBe(Date.UTC(2026, 10, 30, 6));
  });

  it('cover every site once per round of slices', () => {
    const keys = [0, 1, 2, 3].flatMap((tick) =>
      livePushes(codec, now, tick, options).map((m) => m.key),
    );
    expect(new Set(keys)).toEqual(new Set(sites.map((s) => s.meteringPointId)));
  });

  it('re-send a window identically, and move on when the next one has ended', () => {
    const first = livePushes(codec, now, 1, options);
    const again = livePushes(codec, now + 60_000, 5, options);
    expect(again.map((m) => m.value)).toEqual(first.map((m) => m.value));
    const next = livePushes(codec, now + BURST_MS, 1, options);
    expect(next.map((m) => m.value)).not.toEqual(first.map((m) => m.value));
  });
});

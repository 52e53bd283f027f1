import { isValidGsrn } from '@lukema/core';
import { IntervalBatchCodec } from '@lukema/schemas';
import { describe, expect, it } from 'vitest';
import { simulatedPopulation } from './population.js';
import { meanWatts } from './profiles.js';
import { simulate } from './simulate.js';

const DAY = 86_400_000;
const JAN = Date.UTC(2026, 0, 15);
const JUL = Date.UTC(2026, 6, 15);

describe('simulated population and profiles', () => {
  it('gives every site a valid, distinct GSRN', () => {
    const sites = simulatedPopulation(500, 7);
    expect(sites.every((s) => isValidGsrn(s.meteringPointId))).toBe(true);
    expect(new Set(sites.map((s) => s.meteringPointId)).size).toBe(500);
  });

  it('heats more in winter, and solar produces at noon but not at night', () => {
    expect(meanWatts('electric-heating', JAN, 1)).toBeGreaterThan(
      2 * meanWatts('electric-heating', JUL, 1),
    );
    const noonJuly = JUL + 10 * 3_600_000; // 13:00 Finnish summer time ≈ 10:00 UTC
    expect(meanWatts('solar', noonJuly, 1)).toBeGreaterThan(1000);
    expect(meanWatts('solar', JUL - 3 * 3_600_000, 1)).toBe(0);
  });
});

describe('simulate', () => {
  const codec = new IntervalBatchCodec();
  const sites = simulatedPopulation(20, 3);

  it('pushes 24 quarter-hours per site and series every 6 hours, all decodable', () => {
    const messages = [
      ...simulate(codec, {
        sites,
        fromMs: JAN,
        toMs: JAN + DAY,
        badShare: 0,
        lateShare: 0,
        seed: 1,
      }),
    ];
    const series = sites.reduce((n, s) => n + (s.solar ? 2 : 1), 0);
    expect(messages).toHaveLength(series * 4);
    for (const m of messages) {
      const batch = codec.decode(m.value as Buffer);
      expect(batch.intervals).toHaveLength(24);
      expect(m.readings).toBe(24);
    }
  });

  it('injects faults at about the requested share and keeps every message (late ones too)', () => {
    const opts = {
      sites,
      fromMs: JAN,
      toMs: JAN + 10 * DAY,
      badShare: 0.2,
      lateShare: 0.3,
      seed: 2,
    };
    const all = [...simulate(codec, opts)];
    const clean = [...simulate(codec, { ...opts, badShare: 0, lateShare: 0 })];
    expect(all).toHaveLength(clean.length);
    const share = all.filter((m) => m.fault).length / all.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.28);
  });
});

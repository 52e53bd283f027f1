import type { StoredReadingBatch } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { PARKED_READINGS_PER_MESSAGE, parkedParts } from './reattach.js';

const batch = (count: number): StoredReadingBatch => ({
  messageId: 'rectification-K-1',
  headEndId: 'lukema-rectification',
  meteringPointId: '643007574000138589',
  direction: 'consumption',
  resolution: 'PT15M',
  sentAtMs: 1,
  readings: Array.from({ length: count }, (_, i) => ({
    startMs: i * 900_000,
    quantityWh: i,
    quality: 'measured',
    flags: [],
    revision: 1,
  })),
});

describe('parkedParts', () => {
  it('keeps a small batch whole', () => {
    const small = batch(PARKED_READINGS_PER_MESSAGE);
    expect(parkedParts(small)).toEqual([small]);
  });

  it('splits a long vacancy into messages of bounded size, every reading once, in order', () => {
    const year = batch(365 * 96);
    const parts = parkedParts(year);
    expect(parts).toHaveLength(Math.ceil((365 * 96) / PARKED_READINGS_PER_MESSAGE));
    expect(parts.every((p) => p.readings.length <= PARKED_READINGS_PER_MESSAGE)).toBe(true);
    expect(parts.flatMap((p) => p.readings)).toEqual(year.readings);
    expect(new Set(parts.map((p) => p.messageId)).size).toBe(parts.length);
  });
});

import type { IntervalBatch, RegisterReadBatch, StoredReadingBatch } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { withoutErasedReadings } from './parked-erasure.js';

const H = 3_600_000;
const header = {
  messageId: 'm',
  headEndId: 'he',
  meteringPointId: '643007574000138589',
  direction: 'consumption' as const,
  resolution: 'PT1H' as const,
  sentAtMs: 10 * H,
};
const intervals: IntervalBatch = {
  ...header,
  intervals: [0, 1, 2, 3].map((i) => ({ startMs: i * H, quantityWh: 100 + i, flags: [] })),
};
const registers: RegisterReadBatch = {
  ...header,
  rolloverWh: 1e12,
  reads: [0, 1, 2].map((i) => ({ atMs: i * H, registerWh: 1000 + i, flags: [] })),
};

const stored: StoredReadingBatch = {
  ...header,
  readings: [0, 1, 2].map((i) => ({
    startMs: i * H,
    quantityWh: 100 + i,
    quality: 'estimated' as const,
    flags: ['estimated'],
    revision: 5 * H,
  })),
};

describe('withoutErasedReadings', () => {
  it('keeps a message none of whose readings fall in an erased period', () => {
    expect(
      withoutErasedReadings({ kind: 'interval', batch: intervals }, [
        { fromMs: 4 * H, toMs: 9 * H },
      ]),
    ).toBe('unchanged');
  });

  it('drops a message all of whose readings are the erased customer’s', () => {
    expect(
      withoutErasedReadings({ kind: 'interval', batch: intervals }, [{ fromMs: 0, toMs: 4 * H }]),
    ).toBeNull();
  });

  it('keeps only the readings outside the periods (a push crossing a move-out)', () => {
    const left = withoutErasedReadings({ kind: 'interval', batch: intervals }, [
      { fromMs: 0, toMs: 2 * H },
    ]);
    expect(
      left !== null &&
        left !== 'unchanged' &&
        left.kind === 'interval' &&
        left.batch.intervals.map((i) => i.startMs),
    ).toEqual([2 * H, 3 * H]);
    const reads = withoutErasedReadings({ kind: 'register', batch: registers }, [
      { fromMs: H, toMs: Number.POSITIVE_INFINITY },
    ]);
    expect(
      reads !== null &&
        reads !== 'unchanged' &&
        reads.kind === 'register' &&
        reads.batch.reads.map((r) => r.atMs),
    ).toEqual([0]);
  });

  it('filters readings parked by a rectification (stored readings) the same way', () => {
    const left = withoutErasedReadings({ kind: 'stored', batch: stored }, [
      { fromMs: H, toMs: 2 * H },
    ]);
    expect(
      left !== null &&
        left !== 'unchanged' &&
        left.kind === 'stored' &&
        left.batch.readings.map((r) => [r.startMs, r.quality, r.revision]),
    ).toEqual([
      [0, 'estimated', 5 * H],
      [2 * H, 'estimated', 5 * H],
    ]);
    expect(
      withoutErasedReadings({ kind: 'stored', batch: stored }, [{ fromMs: 0, toMs: 3 * H }]),
    ).toBeNull();
  });
});

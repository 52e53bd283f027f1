import { describe, expect, it } from 'vitest';
import { resolutionScale, type SeriesHistory, spikeThresholdWh, updateHistory } from './history.js';

describe('updateHistory', () => {
  it('starts the mean at the first value', () => {
    expect(updateHistory(undefined, 200, 'PT15M')).toEqual({ meanWh: 200, count: 1 });
    expect(updateHistory({ meanWh: 999, count: 0 }, 200, 'PT15M')).toEqual({
      meanWh: 200,
      count: 1,
    });
  });

  it('moves the mean a tenth of the way to each new value', () => {
    const next = updateHistory({ meanWh: 100, count: 5 }, 200, 'PT15M');
    expect(next.meanWh).toBeCloseTo(110, 10);
    expect(next.count).toBe(6);
    const after = updateHistory(next, 0, 'PT15M');
    expect(after.meanWh).toBeCloseTo(99, 10);
    expect(after.count).toBe(7);
  });

  it('normalises hourly energy to 15 minutes', () => {
    expect(updateHistory(undefined, 800, 'PT1H')).toEqual({ meanWh: 200, count: 1 });
    expect(updateHistory({ meanWh: 100, count: 3 }, 800, 'PT1H').meanWh).toBeCloseTo(110, 10);
  });

  it('returns a new object and leaves the old history alone', () => {
    const old: SeriesHistory = Object.freeze({ meanWh: 100, count: 5 });
    const next = updateHistory(old, 300, 'PT15M');
    expect(next).not.toBe(old);
    expect(old).toEqual({ meanWh: 100, count: 5 });
  });
});

describe('spikeThresholdWh', () => {
  it('has no threshold before 8 accepted values', () => {
    expect(spikeThresholdWh(undefined, 'PT15M')).toBeUndefined();
    expect(spikeThresholdWh({ meanWh: 100, count: 7 }, 'PT15M')).toBeUndefined();
  });

  it('is ten times the mean once warmed up, scaled to the resolution', () => {
    expect(spikeThresholdWh({ meanWh: 100, count: 8 }, 'PT15M')).toBe(1000);
    expect(spikeThresholdWh({ meanWh: 100, count: 8 }, 'PT1H')).toBe(4000);
  });

  it('uses a 50 Wh floor for the mean', () => {
    expect(spikeThresholdWh({ meanWh: 20, count: 100 }, 'PT15M')).toBe(500);
    expect(spikeThresholdWh({ meanWh: 0, count: 100 }, 'PT1H')).toBe(2000);
  });
});

describe('resolutionScale', () => {
  it('counts 15-minute intervals per interval', () => {
    expect(resolutionScale('PT15M')).toBe(1);
    expect(resolutionScale('PT1H')).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { H, iv, NOW, Q, T0 } from './test-fixtures.js';
import {
  beyondHorizonReason,
  INFLUX_MAX_MS,
  INFLUX_MIN_MS,
  instantText,
  isRepresentableMs,
  screenStarts,
} from './time-screen.js';

describe('screenStarts', () => {
  it('keeps starts up to the horizon and sets aside later and unrepresentable ones', () => {
    const intervals = [
      iv(T0, 1),
      iv(NOW + 24 * H, 2), // exactly at the horizon: kept
      iv(NOW + 24 * H + Q, 3),
      iv(Date.UTC(2262, 3, 12), 4),
      iv(9e15, 5),
      iv(-9e15, 6),
      iv(T0 + 0.5, 7),
      iv(Number.NaN, 8),
    ];
    const screened = screenStarts(intervals, NOW, 24 * H);
    expect(screened.kept.map((i) => i.quantityWh)).toEqual([1, 2]);
    expect(screened.beyondHorizon).toEqual([NOW + 24 * H + Q]);
    expect(screened.unrepresentable).toEqual([Date.UTC(2262, 3, 12), 9e15, -9e15, T0 + 0.5, NaN]);
  });

  it('knows InfluxDB bounds to the millisecond', () => {
    expect(isRepresentableMs(INFLUX_MAX_MS)).toBe(true);
    expect(isRepresentableMs(INFLUX_MAX_MS + 1)).toBe(false);
    expect(isRepresentableMs(INFLUX_MIN_MS)).toBe(true);
    expect(isRepresentableMs(INFLUX_MIN_MS - 1)).toBe(false);
    expect(new Date(INFLUX_MAX_MS).toISOString()).toBe('2262-04-11T23:47:16.854Z');
  });
});

describe('instantText', () => {
  it('formats what a Date holds and falls back to the number', () => {
    expect(instantText(T0)).toBe('2026-01-01T00:00:00.000Z');
    expect(instantText(9e15)).toBe('9000000000000000 ms');
    expect(instantText(Number.NaN)).toBe('NaN ms');
  });

  it('states the horizon in the reason', () => {
    expect(beyondHorizonReason(24 * H)).toContain('24 h');
  });
});

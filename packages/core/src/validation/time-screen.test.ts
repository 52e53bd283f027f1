import { describe, expect, it } from 'vitest';
import { H, iv, NOW, Q, T0 } from './test-fixtures.js';
import {
  beyondHorizonReason,
  INFLUX_MAX_MS,
  INFLUX_MIN_MS,
  instantsText,
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

describe('instantsText', () => {
  const Q = 900_000;
  const T = Date.UTC(2027, 0, 5);
  const iso = (ms: number) => new Date(ms).toISOString();

  it('lists one or two instants as they are, and a run of three or more as one', () => {
    expect(instantsText([T])).toBe(iso(T));
    expect(instantsText([9e15])).toBe('9000000000000000 ms');
    expect(instantsText([T, T + Q])).toBe(`${iso(T)},${iso(T + Q)}`);
    const year = Array.from({ length: 35_040 }, (_, i) => T + i * Q);
    expect(instantsText(year)).toBe(`${iso(T)}..${iso(T + 35_039 * Q)} every 15 min (35040)`);
    // Runs, a step change and strays, in their order.
    expect(
      instantsText([T, T + Q, T + 2 * Q, T + 10 * Q, T + 70 * Q, T + 130 * Q, T + 131 * Q]),
    ).toBe(
      `${iso(T)}..${iso(T + 2 * Q)} every 15 min (3),${iso(T + 10 * Q)}..${iso(T + 130 * Q)} every 900 min (3),${iso(T + 131 * Q)}`,
    );
    expect(instantsText([T, T + 1500, T + 3000])).toBe(
      `${iso(T)}..${iso(T + 3000)} every 1500 ms (3)`,
    );
  });

  it('ends a long list of strays with the count, within the bound', () => {
    const strays = Array.from({ length: 5_000 }, (_, i) => T + i * i * 1000);
    const text = instantsText(strays, 2_000);
    expect(text.length).toBeLessThanOrEqual(2_000);
    expect(text.endsWith('… (5000 in all)')).toBe(true);
    expect(text.startsWith(`${iso(T)},`)).toBe(true);
  });
});

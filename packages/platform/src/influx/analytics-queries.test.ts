// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux interpolation text is what these cases are about
import { describe, expect, it } from 'vitest';
import { localWindow, periodContributionsFlux } from './analytics-queries.js';

const window = { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 8) };

describe('the analysts’ period query', () => {
  it('cuts windows in Helsinki time and stamps them with their start', () => {
    const flux = periodContributionsFlux('readings', { ...window, granularity: 'day' });
    expect(flux).toContain('every: 1d');
    // Read from the rollups: hourly for hours, daily (local days) for days and months.
    expect(flux).toContain('r._measurement == "energy_1d"');
    expect(periodContributionsFlux('b', { ...window, granularity: 'hour' })).toContain(
      'r._measurement == "energy_1h"',
    );
    expect(flux).toContain('timeSrc: "_start"');
    expect(flux).toContain('timezone.location(name: "Europe/Helsinki")');
    expect(periodContributionsFlux('b', { ...window, granularity: 'month' })).toContain(
      'every: 1mo',
    );
  });

  it('filters by area prefix, direction and commodity after checking them', () => {
    const flux = periodContributionsFlux('readings', {
      ...window,
      granularity: 'hour',
      areaPrefix: '00',
      direction: 'production',
      commodity: 'electricity',
    });
    expect(flux).toContain('strings.hasPrefix(v: r.area, prefix: "00")');
    expect(flux).toContain('r.direction == "production"');
    expect(flux).toContain('r.commodity == "electricity"');
  });

  it('refuses values that are not of their shape, injections included', () => {
    const q = { ...window, granularity: 'day' as const };
    expect(() => periodContributionsFlux('b', { ...q, areaPrefix: '0") or (true' })).toThrow(
      /area/,
    );
    expect(() => periodContributionsFlux('b', { ...q, commodity: '${r.area}' })).toThrow(
      /commodity/,
    );
    expect(() => periodContributionsFlux('b', { ...q, direction: 'both' as 'production' })).toThrow(
      /direction/,
    );
    expect(() => periodContributionsFlux('b', { ...q, toMs: q.fromMs })).toThrow(/to/);
    expect(periodContributionsFlux('a"$b', q)).toContain('from(bucket: "a\\"\\x24b")');
  });
});

describe('the analysts’ local windows', () => {
  it('cuts hours in UTC (both 03:00 hours of the autumn change), days and months in Helsinki', () => {
    expect(localWindow('hour', 'sum')).not.toContain('location');
    expect(localWindow('day', 'max')).toContain(
      'every: 1d, fn: max, createEmpty: false, timeSrc: "_start", location: timezone.location(name: "Europe/Helsinki")',
    );
    expect(localWindow('month', 'count')).toContain('every: 1mo, fn: count');
    expect(() => localWindow('week' as 'day', 'sum')).toThrow(/every/);
  });
});

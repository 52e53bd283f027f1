import { describe, expect, it } from 'vitest';
import { legacySeriesProbeFlux } from './legacy-layout-queries.js';

describe('the earlier layouts’ probe', () => {
  const p = '0123456789abcdef0123456789abcdef';

  it('looks up the spelled-out pseudonym tag for one row at most', () => {
    const flux = legacySeriesProbeFlux('readings', p, Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1));
    expect(flux).toContain(`r.pseudonym == "${p}"`);
    expect(flux).toContain('r._measurement == "energy" or r._measurement == "data_gaps"');
    expect(flux).toContain('limit(n: 1)');
    expect(flux).toContain(
      'range(start: 2026-01-01T00:00:00.000Z, stop: 2026-02-01T00:00:00.000Z)',
    );
  });

  it('refuses a pseudonym that is not 32 hex digits', () => {
    expect(() => legacySeriesProbeFlux('b', `${p}" or true`, 0, 1)).toThrow(/pseudonym/);
  });
});

import { describe, expect, it } from 'vitest';
import { profileReads } from './profile-queries.js';

// 1 Jan 2026 00:00 and 1 Jan 2027 00:00 in Helsinki (EET).
const fromMs = Date.UTC(2025, 11, 31, 22);
const toMs = Date.UTC(2026, 11, 31, 22);
const HOUR = 3_600_000;

describe('load-profile reads', () => {
  it('read whole local months from the monthly cells, raw rows of the needed columns, in concurrent pieces', () => {
    const reads = profileReads('rollups', { fromMs, toMs, areaPrefix: '001' });
    expect(reads.map((r) => r.kind)).toEqual(['cells', 'cells']);
    const [first, second] = reads as [(typeof reads)[0], (typeof reads)[0]];
    expect(first.flux).toContain('r._measurement == "energy_area_cells_1mo"');
    expect(first.flux).toContain('r.area == "001xx"');
    expect(first.flux).not.toContain('group(');
    expect(first.flux).toMatch(
      /keep\(columns: \["_time", "_value", "_field", "area", "commodity", "direction"\]\)$/,
    );
    // Six months each: January–June 2026 (EET start), July–December (EEST start).
    expect(first.flux).toContain(
      'range(start: 2025-12-31T22:00:00.000Z, stop: 2026-06-30T21:00:00.000Z)',
    );
    expect(second.flux).toContain(
      'range(start: 2026-06-30T21:00:00.000Z, stop: 2026-12-31T22:00:00.000Z)',
    );
    expect(profileReads('rollups', { fromMs, toMs }, { pieces: 1 })).toHaveLength(1);
    expect(profileReads('rollups', { fromMs, toMs }, { pieces: 12 })).toHaveLength(12);
  });

  it('read the hours before and after the whole months from the hourly area rollups', () => {
    const reads = profileReads('rollups', { fromMs: fromMs - 5 * HOUR, toMs: toMs + 2 * HOUR });
    expect(reads.map((r) => r.kind)).toEqual(['cells', 'cells', 'hours', 'hours']);
    const [before, after] = reads.filter((r) => r.kind === 'hours');
    expect(before?.flux).toContain('r._measurement == "energy_area_1h"');
    expect(before?.flux).toContain(
      '(r._field == "kwh" or r._field == "top" or r._field == "customers")',
    );
    expect(before?.flux).toContain('stop: 2025-12-31T22:00:00.000Z');
    expect(after?.flux).toContain('start: 2026-12-31T22:00:00.000Z');
    // Less than a month, or hours only: one read of hours.
    expect(profileReads('rollups', { fromMs, toMs: fromMs + 48 * HOUR })).toHaveLength(1);
    expect(profileReads('rollups', { fromMs, toMs }, { hoursOnly: true })).toEqual([
      expect.objectContaining({ kind: 'hours' }),
    ]);
  });

  it('check their values', () => {
    expect(() => profileReads('rollups', { fromMs: toMs, toMs: fromMs })).toThrow(/to/);
    expect(() =>
      profileReads('rollups', { fromMs, toMs, commodity: 'x" or true' as string }),
    ).toThrow(/commodity/);
  });
});

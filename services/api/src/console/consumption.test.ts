import type { ExportReading } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { totalsOf } from './consumption.js';

const reading = (iso: string, wh: number | null, direction = 'consumption'): ExportReading =>
  ({
    meteringPointId: '643000000000000001',
    direction,
    resolution: 'PT15M',
    startMs: Date.parse(iso),
    quantityWh: wh,
    quality: 'measured',
  }) as ExportReading;

describe('consumption totals', () => {
  it('sums by Finnish calendar day and month, per direction', () => {
    const totals = totalsOf(
      [
        reading('2026-10-31T21:45:00Z', 250), // 31 Oct 23:45 in Helsinki (UTC+2)
        reading('2026-10-31T22:00:00Z', 500), // 1 Nov 00:00 in Helsinki
        reading('2026-11-01T10:00:00Z', 1500),
        reading('2026-11-01T11:00:00Z', null),
        reading('2026-11-01T12:00:00Z', 9000, 'production'),
      ],
      'consumption',
    );
    expect(totals.byDay).toEqual([
      ['2026-10-31', 0.25],
      ['2026-11-01', 2],
    ]);
    expect(totals.byMonth).toEqual([
      ['2026-10', 0.25],
      ['2026-11', 2],
    ]);
  });
});

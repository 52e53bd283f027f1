import { describe, expect, it } from 'vitest';
import { formatPoint } from './line-protocol.js';

describe('formatPoint', () => {
  it('sorts tags, drops empty ones and types fields', () => {
    const line = formatPoint({
      measurement: 'energy',
      tags: { resolution: 'PT15M', area: '00100', empty: '' },
      fields: { kwh: 1.25, quality: 'measured', count: { int: 3 }, ok: true },
      timeMs: 1_700_000_000_000,
    });
    expect(line).toBe(
      'energy,area=00100,resolution=PT15M kwh=1.25,quality="measured",count=3i,ok=true 1700000000000',
    );
  });

  it('escapes tag and string-field specials', () => {
    const line = formatPoint({
      measurement: 'my energy',
      tags: { 'a b': 'x,y=z' },
      fields: { note: 'say "hi" \\' },
      timeMs: 1,
    });
    expect(line).toBe('my\\ energy,a\\ b=x\\,y\\=z note="say \\"hi\\" \\\\" 1');
  });

  it('refuses a point without fields or with a non-finite number', () => {
    expect(() => formatPoint({ measurement: 'm', tags: {}, fields: {}, timeMs: 1 })).toThrow(
      RangeError,
    );
    expect(() =>
      formatPoint({ measurement: 'm', tags: {}, fields: { v: Number.NaN }, timeMs: 1 }),
    ).toThrow(RangeError);
  });
});

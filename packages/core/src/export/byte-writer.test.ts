import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer.js';

function written(write: (out: ByteWriter) => void, capacity?: number): string {
  const out = new ByteWriter(capacity);
  write(out);
  return out.toString();
}

describe('ByteWriter', () => {
  it.each([
    [1234, ',', '1,234'],
    [-50, ',', '-0,050'],
    [0, ',', '0,000'],
    [-0, '.', '0.000'],
    [7, '.', '0.007'],
    [1_000_000, ',', '1000,000'],
    [-123_456_789, '.', '-123456.789'],
    [1234.6, '.', '1.235'],
  ] as const)('writes %d Wh with %j as %s kWh', (wh, separator, expected) => {
    expect(written((out) => out.kwh(wh, separator))).toBe(expected);
  });

  it('refuses a non-finite quantity or instant', () => {
    expect(() => written((out) => out.kwh(Number.NaN, ','))).toThrow(RangeError);
    expect(() => written((out) => out.utcSeconds(Number.POSITIVE_INFINITY))).toThrow(RangeError);
  });

  it('writes UTC to the second, dropping milliseconds, across days', () => {
    const times = [
      '2024-02-29T23:45:00Z',
      '2024-03-01T00:00:00Z',
      '2024-03-01T09:05:07.999Z',
      '1969-12-31T23:59:59Z',
    ];
    const text = written((out) => {
      for (const t of times) {
        out.utcSeconds(Date.parse(t));
        out.byte(32);
      }
    });
    expect(text).toBe(
      '2024-02-29T23:45:00Z 2024-03-01T00:00:00Z 2024-03-01T09:05:07Z 1969-12-31T23:59:59Z ',
    );
  });

  it('grows past its first capacity and keeps non-ASCII text intact', () => {
    const text = written((out) => {
      for (let i = 0; i < 2000; i++) out.cached('Åbo;');
    }, 16);
    expect(text).toBe('Åbo;'.repeat(2000));
  });
});

describe('ByteWriter.pooled', () => {
  it('reuses the buffer of a released writer that fits, and allocates when none does', () => {
    const first = ByteWriter.pooled(2 << 20);
    first.cached('abc');
    const bytes = first.toBuffer();
    first.release();
    const second = ByteWriter.pooled(1 << 20);
    second.cached('xyz');
    // The same memory, written afresh from its start.
    expect(second.toBuffer().buffer).toBe(bytes.buffer);
    expect(second.toString()).toBe('xyz');
    const third = ByteWriter.pooled(2 << 20);
    expect(third.toBuffer().buffer).not.toBe(bytes.buffer);
    second.release();
    third.release();
  });
});

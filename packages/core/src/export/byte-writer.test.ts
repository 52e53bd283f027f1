import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer.js';

function written(write: (out: ByteWriter) => void, capacity?: number): string {
  const out = new ByteWriter(capacity);
  write(out);
  return out.toString();
}

describe('ByteWriter', () => {
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

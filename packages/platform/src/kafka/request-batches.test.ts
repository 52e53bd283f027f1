import { describe, expect, it } from 'vitest';
import { recordBytes, requestBatches } from './request-batches.js';

const msg = (bytes: number, headers?: Record<string, string>) => ({
  key: 'k',
  value: Buffer.alloc(bytes),
  ...(headers ? { headers } : {}),
});

describe('requestBatches', () => {
  it('keeps every request under the limit, in order, losing nothing', () => {
    const messages = Array.from({ length: 100 }, (_, i) =>
      msg(1000 + i, { reason: 'r'.repeat(i) }),
    );
    const batches = requestBatches(messages, 10_000);
    expect(batches.flat()).toEqual(messages);
    for (const batch of batches) {
      expect(batch.reduce((n, m) => n + recordBytes(m), 0)).toBeLessThanOrEqual(10_000);
    }
    expect(batches.length).toBeGreaterThan(10);
  });

  it('sends an oversized message alone and nothing for nothing', () => {
    expect(requestBatches([msg(10), msg(50_000), msg(10)], 10_000).map((b) => b.length)).toEqual([
      1, 1, 1,
    ]);
    expect(requestBatches([], 10_000)).toEqual([]);
  });

  it('counts headers and strings in bytes', () => {
    expect(recordBytes({ key: 'ä', value: 'ab', headers: { h: 'v' } })).toBe(64 + 2 + 2 + 8 + 2);
  });
});

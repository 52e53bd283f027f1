import { describe, expect, it } from 'vitest';
import { decodeReadingMarks, encodeReadingMarks, FLAG_NAMES } from './reading-code.js';
import { revisionsAt } from './revision-records.js';

describe('reading marks as one integer', () => {
  it('is 0 for the common case: measured, unflagged, preliminary', () => {
    expect(
      encodeReadingMarks({ quality: 'measured', flags: [], dataStatus: 'preliminary' }),
    ).toEqual({ q: 0, otherFlags: [] });
    expect(decodeReadingMarks(0)).toEqual({
      quality: 'measured',
      flags: [],
      dataStatus: 'preliminary',
    });
  });

  it('round-trips every quality, status (or none) and flag combination exactly', () => {
    for (const quality of ['measured', 'estimated', 'suspect', 'missing'] as const) {
      for (const dataStatus of ['preliminary', 'final', undefined] as const) {
        for (const flags of [[], ['spike'], ['negative', 'spike'], [...FLAG_NAMES]]) {
          const marks = { quality, flags, ...(dataStatus ? { dataStatus } : {}) };
          const { q, otherFlags } = encodeReadingMarks(marks);
          expect(otherFlags).toEqual([]);
          expect(decodeReadingMarks(q)).toEqual(marks);
        }
      }
    }
  });

  it('keeps a flag it has no bit for in the string beside', () => {
    const { q, otherFlags } = encodeReadingMarks({ quality: 'suspect', flags: ['spike', 'zz'] });
    expect(otherFlags).toEqual(['zz']);
    expect(decodeReadingMarks(q, otherFlags.join(','))).toEqual({
      quality: 'suspect',
      flags: ['spike', 'zz'],
    });
  });
});

describe('revisions recovered from window records', () => {
  it('gives each reading the newest record covering it, 0 when none', () => {
    const times = [0, 1, 2, 3, 4, 5, 9].map((i) => i * 10);
    const records = [
      { endMs: 50, span: 5, rev: 100 },
      { endMs: 30, span: 1, rev: 200 },
      { endMs: 20, span: 2, rev: 50 },
    ];
    expect(revisionsAt(records, 10, times)).toEqual([100, 100, 200, 200, 100, 100, 0]);
  });
});

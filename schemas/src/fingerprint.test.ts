import { describe, expect, it } from 'vitest';
import { rabinFingerprint } from './fingerprint.js';

// Test vectors from the Avro specification's reference implementations
// (share/test/data/schema-tests.txt): canonical form -> 64-bit fingerprint, signed decimal.
const VECTORS: Array<[string, bigint]> = [
  ['"null"', 7195948357588979594n],
  ['"boolean"', -6970731678124411036n],
  ['"int"', 8247732601305521295n],
  ['"long"', -3434872931120570953n],
  ['"string"', -8142146995180207161n],
];

describe('rabinFingerprint', () => {
  it.each(VECTORS)('matches the Avro test vector for %s', (schema, expected) => {
    expect(rabinFingerprint(schema).readBigInt64LE()).toBe(expected);
  });

  it('differs for different schemas', () => {
    expect(rabinFingerprint('"int"').equals(rabinFingerprint('"long"'))).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashApiToken, newApiToken } from './api-token.js';

describe('API tokens', () => {
  it('are lk_ and 32 random bytes in base64url', () => {
    const token = newApiToken();
    expect(token).toMatch(/^lk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);
  });

  it('are different each time', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newApiToken()));
    expect(tokens.size).toBe(100);
  });

  it('hash to SHA-256 hex, stable and distinct per token', () => {
    expect(hashApiToken('lk_abc')).toBe(createHash('sha256').update('lk_abc').digest('hex'));
    // Known answer, so the hash cannot silently change algorithm or encoding.
    expect(hashApiToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const token = newApiToken();
    expect(hashApiToken(token)).toBe(hashApiToken(token));
    expect(hashApiToken(token)).not.toBe(hashApiToken(newApiToken()));
    expect(hashApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});

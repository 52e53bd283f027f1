import { describe, expect, it } from 'vitest';
import { hashApiToken, newApiToken } from './api-token.js';
import { isTokenName, tokenIdOf, tokenIdOfHash, tokenRefusal } from './token-lifetime.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');

describe('token lifetime', () => {
  it('is valid until it expires, and never again once revoked', () => {
    const expiresAt = '2026-12-02T00:00:00Z';
    expect(tokenRefusal({ expiresAt }, NOW)).toBeNull();
    expect(tokenRefusal({ expiresAt }, Date.parse(expiresAt))).toBe('the token has expired');
    expect(tokenRefusal({ expiresAt, revokedAt: '2026-11-30T00:00:00Z' }, NOW)).toBe(
      'the token was revoked',
    );
  });

  it('treats a record without a readable expiry as expired', () => {
    expect(tokenRefusal({ expiresAt: undefined as unknown as string }, NOW)).toBe(
      'the token has expired',
    );
    expect(tokenRefusal({ expiresAt: 'never' }, NOW)).toBe('the token has expired');
  });

  it('has a public id from its hash that does not reveal the token', () => {
    const token = newApiToken();
    const id = tokenIdOf(token);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(id).toBe(tokenIdOfHash(hashApiToken(token)));
    expect(token).not.toContain(id);
  });

  it('takes names that cannot hold an e-mail address or identity code', () => {
    for (const ok of ['dpo-1', 'analyst.grid', 'ops_2']) expect(isTokenName(ok), ok).toBe(true);
    for (const bad of ['matti@example.fi', '010190-123A', 'A', 'Dpo', '', 'x'.repeat(64), 7])
      expect(isTokenName(bad), String(bad)).toBe(false);
  });
});

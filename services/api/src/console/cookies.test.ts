import { describe, expect, it } from 'vitest';
import { readCookies, sessionCookie } from './cookies.js';

describe('cookies', () => {
  it('reads cookies by name', () => {
    expect(readCookies('a=1; lk_dpo=x%3Dy ;b=')).toEqual(
      new Map([
        ['a', '1'],
        ['lk_dpo', 'x=y'],
        ['b', ''],
      ]),
    );
    expect(readCookies(undefined).size).toBe(0);
  });

  it('sets httpOnly SameSite=Strict session cookies', () => {
    expect(sessionCookie('s', 'v', { path: '/me', maxAgeSeconds: 60, secure: true })).toBe(
      's=v; Path=/me; Max-Age=60; HttpOnly; SameSite=Strict; Secure',
    );
  });
});

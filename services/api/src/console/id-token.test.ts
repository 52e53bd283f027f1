import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyIdToken } from './id-token.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const NOW = Date.UTC(2026, 11, 1);

function idToken(claims: Record<string, unknown>, key = privateKey, alg = 'RS256') {
  const head = `${b64({ alg, kid: 'k1' })}.${b64(claims)}`;
  return `${head}.${sign('RSA-SHA256', Buffer.from(head), key).toString('base64url')}`;
}

const good = {
  iss: 'https://idp.example.fi',
  aud: 'lukema',
  exp: NOW / 1000 + 300,
  nonce: 'n1',
  personal_identity_code: '010190-123A',
};
const expected = { issuer: 'https://idp.example.fi', clientId: 'lukema', nonce: 'n1', nowMs: NOW };

describe('verifyIdToken', () => {
  it('returns the claims of a token signed by the issuer for this client', () => {
    expect(verifyIdToken(idToken(good), [jwk], expected).personal_identity_code).toBe(
      '010190-123A',
    );
  });

  it.each([
    ['signature', idToken(good, other.privateKey)],
    ['issuer', idToken({ ...good, iss: 'https://evil.example' })],
    ['audience', idToken({ ...good, aud: ['someone-else'] })],
    ['expiry', idToken({ ...good, exp: NOW / 1000 - 120 })],
    ['nonce', idToken({ ...good, nonce: 'replayed' })],
    ['algorithm', idToken(good, privateKey, 'none')],
    ['format', 'not-a-token'],
  ])('refuses a token failing the %s check', (check, token) => {
    expect(() => verifyIdToken(token, [jwk], expected)).toThrow(`the ${check} check`);
  });
});

import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { LukemaError } from '@lukema/core';

/**
 * Thrown when an ID token is not one Lukema can trust (bad signature, issuer, audience,
 * nonce, or expired). Not retriable: the customer signs in again. The message names the
 * check, never a claim's value.
 */
export class IdTokenError extends LukemaError {
  readonly statusCode = 401;

  constructor(check: string) {
    super(`the identity provider's ID token failed the ${check} check`, { retriable: false });
  }
}

const part = (text: string | undefined) =>
  JSON.parse(Buffer.from(text ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * Verifies an OpenID Connect ID token (RS256, signed by a key of the issuer's JWKS) and
 * returns its claims. Pure: the keys and the clock are arguments.
 * @throws IdTokenError naming the check that failed.
 */
export function verifyIdToken(
  token: string,
  keys: readonly (JsonWebKey & { kid?: string })[],
  expected: { issuer: string; clientId: string; nonce: string; nowMs: number },
): Record<string, unknown> {
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) throw new IdTokenError('format');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = part(head);
    claims = part(body);
  } catch {
    throw new IdTokenError('format');
  }
  if (header.alg !== 'RS256') throw new IdTokenError('algorithm');
  const jwk = keys.find((k) => k.kid === header.kid) ?? (keys.length === 1 ? keys[0] : undefined);
  if (!jwk) throw new IdTokenError('key');
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${head}.${body}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw new IdTokenError('signature');
  if (claims.iss !== expected.issuer) throw new IdTokenError('issuer');
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(expected.clientId)) throw new IdTokenError('audience');
  const skewMs = 60_000;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < expected.nowMs - skewMs)
    throw new IdTokenError('expiry');
  if (claims.nonce !== expected.nonce) throw new IdTokenError('nonce');
  return claims;
}

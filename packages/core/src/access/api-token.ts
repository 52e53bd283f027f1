import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'lk_';

/** A new API token: 'lk_' and 32 random bytes in base64url. Shown once, stored only hashed. */
export function newApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * The stored form of a token: SHA-256, hex.
 * A plain fast hash is enough here, unlike for passwords: the token carries 256 bits from a
 * CSPRNG, so there is no dictionary to try and brute force is out of reach however fast the
 * hash is. Slow KDFs (scrypt, argon2) only buy time against guessable secrets. Being
 * deterministic and unsalted, the hash can also be the lookup key for the token.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

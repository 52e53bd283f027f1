import { hashApiToken } from './api-token.js';
import type { TokenGrant } from './authorize.js';

/** API tokens live 90 days unless configured otherwise (LUKEMA_API_TOKEN_TTL_DAYS). */
export const DEFAULT_TOKEN_TTL_DAYS = 90;

/**
 * A token's name: what the audit trail calls its holder. A short slug, so that it can never
 * hold an e-mail address or an identity code.
 */
export const TOKEN_NAME_PATTERN = '^[a-z][a-z0-9._-]{1,62}$';

/** A token's public id: the first 16 hex digits of its stored hash. Safe to show and log. */
export const TOKEN_ID_PATTERN = '^[0-9a-f]{16}$';

/** A token as stored (under its hash): the grant, its lifetime and whether it was revoked. */
export interface StoredToken extends TokenGrant {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

/** The public id of a token (see {@link TOKEN_ID_PATTERN}). */
export function tokenIdOf(token: string): string {
  return hashApiToken(token).slice(0, 16);
}

/** The public id of a token from its stored hash. */
export function tokenIdOfHash(hash: string): string {
  return hash.slice(0, 16);
}

/** True when `name` is a valid token name (see {@link TOKEN_NAME_PATTERN}). */
export function isTokenName(name: unknown): name is string {
  return typeof name === 'string' && new RegExp(TOKEN_NAME_PATTERN).test(name);
}

/**
 * Why a stored token may no longer be used at `nowMs`, or null while it is valid. A record
 * without a readable expiry (written before tokens expired) counts as expired.
 */
export function tokenRefusal(
  stored: Pick<StoredToken, 'expiresAt' | 'revokedAt'>,
  nowMs: number,
): 'the token was revoked' | 'the token has expired' | null {
  if (stored.revokedAt) return 'the token was revoked';
  const expires = Date.parse(stored.expiresAt ?? '');
  if (Number.isNaN(expires) || expires <= nowMs) return 'the token has expired';
  return null;
}

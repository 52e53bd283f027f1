import {
  hashApiToken,
  newApiToken,
  type Purpose,
  type Role,
  type StoredToken,
  type TokenGrant,
  tokenIdOfHash,
  tokenRefusal,
} from '@lukema/core';
import { type Redis, redisCall } from '@lukema/platform';

/** The Redis hash that holds the API tokens under a service prefix. */
export function tokenHashKey(prefix: string): string {
  return `${prefix}:api-tokens`;
}

/** What a presented token is: valid (with its grant), refused (expired, revoked) or unknown. */
export type TokenLookup =
  | { readonly grant: TokenGrant }
  | { readonly refused: string; readonly stored: StoredToken }
  | undefined;

/** A token about to be stored: the secret (shown once) and its record. */
export interface NewToken {
  readonly token: string;
  readonly stored: StoredToken;
}

/** API tokens, stored only as hashes with their grant, lifetime and revocation. */
export interface TokenStore {
  lookup(token: string, nowMs?: number): Promise<TokenLookup>;
  /** A new token and its record, not yet stored (so that it can be audited first). */
  prepare(name: string, role: Role, purposes: readonly Purpose[], ttlMs: number): NewToken;
  save(token: NewToken): Promise<void>;
  /** The stored record of a token id, revoked or not. */
  byId(id: string): Promise<StoredToken | undefined>;
  /** Marks a token revoked; false when no token has that id or it was revoked already. */
  revoke(id: string, at?: Date): Promise<boolean>;
  list(): Promise<StoredToken[]>;
}

/** Creating a token goes through TokenAdmin, which audits it first; this only stores. */
export class RedisTokenStore implements TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly hash: string,
  ) {}

  async lookup(token: string, nowMs = Date.now()): Promise<TokenLookup> {
    const raw = await redisCall('token lookup', () =>
      this.redis.hget(this.hash, hashApiToken(token)),
    );
    if (!raw) return undefined;
    const stored = JSON.parse(raw) as StoredToken;
    const refused = tokenRefusal(stored, nowMs);
    if (refused) return { refused, stored };
    return { grant: { name: stored.name, role: stored.role, purposes: stored.purposes } };
  }

  /** The grant of a valid token; undefined for an unknown, expired or revoked one. */
  async grantFor(token: string): Promise<TokenGrant | undefined> {
    const found = await this.lookup(token);
    return found && 'grant' in found ? found.grant : undefined;
  }

  prepare(name: string, role: Role, purposes: readonly Purpose[], ttlMs: number): NewToken {
    const token = newApiToken();
    const now = Date.now();
    return {
      token,
      stored: {
        id: tokenIdOfHash(hashApiToken(token)),
        name,
        role,
        purposes: [...purposes],
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + ttlMs).toISOString(),
      },
    };
  }

  async save({ token, stored }: NewToken): Promise<void> {
    await redisCall('token create', () =>
      this.redis.hset(this.hash, hashApiToken(token), JSON.stringify(stored)),
    );
  }

  async byId(id: string): Promise<StoredToken | undefined> {
    return (await this.entries()).find(([, stored]) => stored.id === id)?.[1];
  }

  async revoke(id: string, at = new Date()): Promise<boolean> {
    const entry = (await this.entries()).find(([, stored]) => stored.id === id);
    if (!entry || entry[1].revokedAt) return false;
    const [field, stored] = entry;
    const revoked: StoredToken = { ...stored, revokedAt: at.toISOString() };
    await redisCall('token revoke', () =>
      this.redis.hset(this.hash, field, JSON.stringify(revoked)),
    );
    return true;
  }

  async list(): Promise<StoredToken[]> {
    return (await this.entries()).map(([, stored]) => stored);
  }

  /** Every stored token with its field (hash); a record from before ids gets one. */
  private async entries(): Promise<Array<[string, StoredToken]>> {
    const all = await redisCall('token list', () => this.redis.hgetall(this.hash));
    return Object.entries(all).map(([field, raw]) => {
      const stored = JSON.parse(raw) as StoredToken;
      return [field, { ...stored, id: stored.id ?? tokenIdOfHash(field) }];
    });
  }
}

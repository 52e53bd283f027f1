import { hashApiToken, newApiToken, type Purpose, type Role, type TokenGrant } from '@lukema/core';
import { type Redis, redisCall } from '@lukema/platform';

/** API tokens, stored only as hashes with their grant. */
export interface TokenStore {
  grantFor(token: string): Promise<TokenGrant | undefined>;
  /** Creates a token; the token itself is returned once and never stored. */
  create(name: string, role: Role, purposes: readonly Purpose[]): Promise<string>;
}

export class RedisTokenStore implements TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly hash: string,
  ) {}

  async grantFor(token: string): Promise<TokenGrant | undefined> {
    const raw = await redisCall('token lookup', () =>
      this.redis.hget(this.hash, hashApiToken(token)),
    );
    return raw ? (JSON.parse(raw) as TokenGrant) : undefined;
  }

  async create(name: string, role: Role, purposes: readonly Purpose[]): Promise<string> {
    const token = newApiToken();
    const grant: TokenGrant = { name, role, purposes: [...purposes] };
    await redisCall('token create', () =>
      this.redis.hset(this.hash, hashApiToken(token), JSON.stringify(grant)),
    );
    return token;
  }
}

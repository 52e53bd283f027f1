import { createHash, randomBytes } from 'node:crypto';
import { CUSTOMER_NUMBER_PATTERN } from '@lukema/core';
import type { Redis } from 'ioredis';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * One-time sign-in links for the customer's page in the local stack: Redis keeps only the
 * link's SHA-256 and the customer number, for 15 minutes; the first use deletes it.
 */
export class SignInLinks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 900,
  ) {}

  /** @throws Error when customerId is not a customer number. */
  async mint(customerId: string): Promise<string> {
    if (!new RegExp(CUSTOMER_NUMBER_PATTERN).test(customerId))
      throw new Error('a sign-in link is minted for a customer number (6 to 9 digits)');
    const token = randomBytes(32).toString('base64url');
    await this.redis.set(`${this.prefix}:${hashOf(token)}`, customerId, 'EX', this.ttlSeconds);
    return token;
  }

  /** The customer the link was minted for, once; undefined when unknown, used or expired. */
  async consume(token: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    return (await this.redis.getdel(`${this.prefix}:${hashOf(token)}`)) ?? undefined;
  }
}

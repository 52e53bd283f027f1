import type { HeldAccessRequest } from '@lukema/core';
import type { Redis } from 'ioredis';
import { redisCall } from './ioredis-client.js';

/**
 * Something Redis holds per customer that an erasure removes at once (held access
 * requests, one-time sign-in links, the customer's page sessions).
 */
export interface CustomerStateEraser {
  /** Removes what is held of the customer; returns how many entries went. */
  forgetCustomer(customerId: string): Promise<number>;
}

/** Every key under a pattern (SCAN: never blocks Redis the way KEYS does). */
export async function scanAll(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

/**
 * Deletes the string keys under `pattern` whose value belongs to the customer, as
 * `ownerOf` reads it. These stores are small (open requests, links, live sessions).
 */
export async function forgetOwnedKeys(
  redis: Redis,
  pattern: string,
  customerId: string,
  ownerOf: (value: string) => string | undefined,
): Promise<number> {
  let removed = 0;
  for (const key of await scanAll(redis, pattern)) {
    const value = await redis.get(key);
    if (value !== null && ownerOf(value) === customerId) removed += await redis.del(key);
  }
  return removed;
}

/**
 * Access requests received and not yet handed to the export queue (`<prefix>:<requestId>`,
 * JSON). They hold the customer number only, never an identity code; each key lives at
 * most `keepSeconds` (the retention policy's `access-requests`), and erasure removes them.
 */
export class IoredisHeldRequests {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a held request is kept from its receipt (the retention policy's bound). */
    readonly keepSeconds: number,
  ) {}

  async save(request: HeldAccessRequest): Promise<void> {
    const key = `${this.prefix}:${request.requestId}`;
    // The bound counts from receipt: a later step does not extend the key's life.
    const age = Math.floor((Date.now() - Date.parse(request.receivedAt)) / 1000);
    const ttl = Math.max(1, this.keepSeconds - Math.max(0, age));
    await redisCall('held access request', () =>
      this.redis.set(key, JSON.stringify(request), 'EX', ttl),
    );
  }

  async get(requestId: string): Promise<HeldAccessRequest | undefined> {
    if (!/^[0-9a-f]{32}$/.test(requestId)) return undefined;
    const raw = await redisCall('held access request', () =>
      this.redis.get(`${this.prefix}:${requestId}`),
    );
    return raw ? (JSON.parse(raw) as HeldAccessRequest) : undefined;
  }

  async list(): Promise<HeldAccessRequest[]> {
    const keys = await redisCall('held access requests', () =>
      scanAll(this.redis, `${this.prefix}:*`),
    );
    const values = keys.length ? await this.redis.mget(keys) : [];
    return values
      .filter((v): v is string => v !== null)
      .map((v) => JSON.parse(v) as HeldAccessRequest)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  async remove(requestId: string): Promise<void> {
    await redisCall('held access request', () => this.redis.del(`${this.prefix}:${requestId}`));
  }
}

const jsonOwner = (value: string) => {
  try {
    const parsed = JSON.parse(value) as { customerId?: unknown };
    return typeof parsed.customerId === 'string' ? parsed.customerId : undefined;
  } catch {
    return undefined;
  }
};

/**
 * What an erasure removes of the customer's page and requests, at once: held access
 * requests, unused one-time sign-in links (value: the customer number) and the customer's
 * sessions (JSON with `customerId`). Key names from `redisKeys`.
 */
export function customerStateErasers(
  redis: Redis,
  names: {
    readonly heldRequests: string;
    readonly signInLinks: string;
    readonly consoleSessions: string;
  },
): CustomerStateEraser[] {
  const owned = (pattern: string, ownerOf: (value: string) => string | undefined) => ({
    forgetCustomer: (customerId: string) =>
      redisCall('customer state', () => forgetOwnedKeys(redis, pattern, customerId, ownerOf)),
  });
  return [
    owned(`${names.heldRequests}:*`, jsonOwner),
    owned(`${names.signInLinks}:*`, (value) => value),
    owned(`${names.consoleSessions}:*`, jsonOwner),
  ];
}

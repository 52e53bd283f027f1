import { describe, expect, it } from 'vitest';
import {
  openToken,
  type SessionRedis,
  SessionStore,
  sameSecret,
  sealToken,
  sessionTokenKey,
} from './sessions.js';

/** A map standing in for Redis (no I/O); TTLs are recorded, not enforced. */
function fakeRedis() {
  const values = new Map<string, string>();
  const ttls = new Map<string, number>();
  const redis = {
    get: async (k: string) => values.get(k) ?? null,
    set: async (k: string, v: string, _px: string, ms: number) => {
      values.set(k, v);
      ttls.set(k, ms);
      return 'OK';
    },
    pexpire: async (k: string, ms: number) => {
      ttls.set(k, ms);
      return 1;
    },
    del: async (k: string) => Number(values.delete(k)),
    scan: async () => ['0', [...values.keys()]],
  } as unknown as SessionRedis;
  return { redis, values, ttls };
}

const key = sessionTokenKey(Buffer.alloc(32, 7));

describe('console sessions', () => {
  it('finds a session only by its id and kind; the key is the id’s hash, the TTL the idle timeout', async () => {
    const { redis, values, ttls } = fakeRedis();
    const store = new SessionStore(redis, 'p:s', 1000, key);
    const s = await store.create({ kind: 'customer', customerId: '100000', language: 'fi' });
    expect((await store.get(s.id, 'customer'))?.customerId).toBe('100000');
    expect(await store.get(s.id, 'dpo')).toBeUndefined();
    expect(await store.get('x'.repeat(43), 'customer')).toBeUndefined();
    const [stored] = [...values.keys()];
    expect(stored).toMatch(/^p:s:[0-9a-f]{64}$/);
    expect(stored).not.toContain(s.id);
    expect([...ttls.values()]).toEqual([1000]);
    await store.destroyCustomer('100000');
    expect(await store.get(s.id, 'customer')).toBeUndefined();
  });

  it('keeps a DPO token sealed, never in clear', async () => {
    const { redis, values } = fakeRedis();
    const store = new SessionStore(redis, 'p:s', 1000, key);
    const s = await store.create({ kind: 'dpo', token: 'lk_secret-token-value', name: 'dpo-a' });
    expect([...values.values()].join()).not.toContain('lk_secret-token-value');
    expect((await store.get(s.id, 'dpo'))?.token).toBe('lk_secret-token-value');
    // Another key (another keyring) does not open it.
    const other = new SessionStore(redis, 'p:s', 1000, sessionTokenKey(Buffer.alloc(32, 8)));
    expect(await other.get(s.id, 'dpo')).toBeUndefined();
    await store.destroy(s.id);
    expect(values.size).toBe(0);
  });

  it('binds a sealed token to its session key', () => {
    const sealed = sealToken(key, 'tok', 'a');
    expect(openToken(key, sealed, 'a')).toBe('tok');
    expect(openToken(key, sealed, 'b')).toBeUndefined();
  });

  it('compares secrets exactly', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});

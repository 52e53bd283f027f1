import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LukemaError } from '../errors/lukema-error.js';
import { IdentityCodeError } from './identity-code-error.js';
import {
  deriveIdentityKey,
  erasedCustomerKeyOf,
  erasedCustomerTag,
  erasedPointKeyOf,
  erasedPointTag,
  identityCodeHash,
  identityKeyOf,
} from './identity-key.js';

// Known answers computed outside Node (Python hmac/hashlib, HKDF per RFC 5869).
const MASTER = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const IDENTITY_KEY_HEX = 'acc08ecf952cc7e09a6426a240d1199c7ee399cf4561fe5f4f6b2d0dbe924f7d';
const HASH_100190_999P = 'ab10aae61929c60231f81355098688c1c1849261a2ce34d7a6f2b7f6bdf9503a';

describe('deriveIdentityKey', () => {
  it('is HKDF-SHA256 with salt lukema and info identity-code-lookup, 32 bytes', () => {
    const key = deriveIdentityKey(MASTER);
    expect(key).toHaveLength(32);
    expect(key.toString('hex')).toBe(IDENTITY_KEY_HEX);
  });

  it('differs per master key and is not the master key', () => {
    const master = randomBytes(32);
    expect(deriveIdentityKey(master).equals(master)).toBe(false);
    expect(deriveIdentityKey(master).equals(deriveIdentityKey(randomBytes(32)))).toBe(false);
  });

  it('refuses a master key shorter than 32 bytes', () => {
    expect(() => deriveIdentityKey(randomBytes(16))).toThrow(RangeError);
  });
});

describe('identityCodeHash', () => {
  const key = deriveIdentityKey(MASTER);

  it('is HMAC-SHA256 hex of the code', () => {
    expect(identityCodeHash(key, '100190-999P')).toBe(HASH_100190_999P);
  });

  it("tells apart '-' and 'Y': 100190-999P and 100190Y999P are different people", () => {
    const dash = identityCodeHash(key, '100190-999P');
    const y = identityCodeHash(key, '100190Y999P');
    expect(y).toMatch(/^[0-9a-f]{64}$/);
    expect(y).not.toBe(dash);
  });

  it('hashes the normalized code: case and surrounding spaces do not matter', () => {
    expect(identityCodeHash(key, ' 100190y999p ')).toBe(identityCodeHash(key, '100190Y999P'));
    expect(identityCodeHash(key, '150305b123b')).toBe(identityCodeHash(key, '150305B123B'));
  });

  it('depends on the key', () => {
    const other = deriveIdentityKey(randomBytes(32));
    expect(identityCodeHash(other, '100190-999P')).not.toBe(HASH_100190_999P);
  });

  it.each(['100190-999R', '310290-123T', '100190G999P', '010190-001P', 'not a code'])(
    'throws a non-retriable IdentityCodeError for %s, without the code in it',
    (code) => {
      let thrown: unknown;
      try {
        identityCodeHash(key, code);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IdentityCodeError);
      expect(thrown).toBeInstanceOf(LukemaError);
      const error = thrown as IdentityCodeError;
      expect(error.retriable).toBe(false);
      expect(error.name).toBe('IdentityCodeError');
      expect(error.message).toBe(error.reason);
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.message).not.toContain(code);
      expect(error.message).not.toContain(code.slice(0, 6));
      expect(JSON.stringify(error.context)).not.toContain(code);
      expect(String(error.stack)).not.toContain(code);
    },
  );
});

describe('identityKeyOf', () => {
  it('derives from the oldest key version, so a rotation keeps the lookup hashes', () => {
    const oldest = Buffer.from(MASTER);
    const before = identityKeyOf({ current: 'k1', keys: new Map([['k1', oldest]]) });
    const rotated = identityKeyOf({
      current: 'k2',
      keys: new Map([
        ['k1', oldest],
        ['k2', randomBytes(32)],
      ]),
    });
    expect(before.toString('hex')).toBe(IDENTITY_KEY_HEX);
    expect(rotated.equals(before)).toBe(true);
  });

  it('refuses an empty keyring', () => {
    expect(() => identityKeyOf({ current: 'k1', keys: new Map() })).toThrow(RangeError);
  });
});

describe('erasure marker tags', () => {
  const keyring = { current: 'k1', keys: new Map([['k1', randomBytes(32)]]) };

  it('name a point or a customer by a keyed hash: stable, under keys of their own, never the id', () => {
    const pointKey = erasedPointKeyOf(keyring);
    const customerKey = erasedCustomerKeyOf(keyring);
    expect(pointKey.equals(customerKey)).toBe(false);
    expect(pointKey.equals(identityKeyOf(keyring))).toBe(false);
    const gsrn = '643007574000138589';
    const tag = erasedPointTag(pointKey, gsrn);
    expect(tag).toMatch(/^[0-9a-f]{64}$/);
    expect(erasedPointTag(erasedPointKeyOf(keyring), gsrn)).toBe(tag);
    expect(erasedCustomerTag(customerKey, '100001')).not.toBe(
      erasedCustomerTag(pointKey, '100001'),
    );
    // Another keyring, another tag: without the key, the ids cannot be tried one by one.
    const other = { current: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
    expect(erasedPointTag(erasedPointKeyOf(other), gsrn)).not.toBe(tag);
    expect(() => erasedCustomerKeyOf({ current: 'k1', keys: new Map() })).toThrow(RangeError);
  });
});

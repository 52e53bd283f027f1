import { createHmac, hkdfSync } from 'node:crypto';
import type { Keyring } from '../keys/keyring.js';
import { identityCodeProblem, normalizeIdentityCode } from './identity-code.js';
import { IdentityCodeError } from './identity-code-error.js';

/**
 * Derives the key for identity-code lookups from a master key:
 * HKDF-SHA256, salt 'lukema', info 'identity-code-lookup', 32 bytes. A key of its own, so
 * that lookup hashes are unrelated to anything else derived from the same master key.
 * @throws RangeError when the master key is shorter than 32 bytes.
 */
export function deriveIdentityKey(masterKey: Buffer): Buffer {
  if (masterKey.length < 32) throw new RangeError('master key must be at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', masterKey, 'lukema', 'identity-code-lookup', 32));
}

/**
 * The lookup hash of a personal identity code: HMAC-SHA256 (hex) of the normalized code.
 * Keyed, because the space of valid codes is small enough to hash exhaustively: a plain
 * hash of an identity code would be reversible by anyone holding the table.
 * @throws IdentityCodeError when the code is not valid (the message never contains it).
 */
export function identityCodeHash(identityKey: Buffer, code: string): string {
  const problem = identityCodeProblem(code);
  if (problem !== null) throw new IdentityCodeError(problem);
  return createHmac('sha256', identityKey)
    .update(normalizeIdentityCode(code), 'utf8')
    .digest('hex');
}

/**
 * The key identity-code hashes are made with: derived from the keyring's first (oldest)
 * version, so a master-key rotation does not change the hashes customers are found by.
 * The registry (which stores the hashes) and the rights API (which looks them up) must
 * derive the same key, so both call this one function.
 * @throws RangeError when the keyring is empty or its first key is shorter than 32 bytes.
 */
export function identityKeyOf(keyring: Keyring): Buffer {
  const first = keyring.keys.values().next().value;
  if (!first) throw new RangeError('keyring is empty');
  return deriveIdentityKey(first);
}

/** A key of its own from the keyring's first master key: HKDF-SHA256, salt 'lukema'. */
function keyringKey(keyring: Keyring, label: string): Buffer {
  const first = keyring.keys.values().next().value;
  if (!first) throw new RangeError('keyring is empty');
  if (first.length < 32) throw new RangeError('master key must be at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', first, 'lukema', label, 32));
}

/** HMAC-SHA256 (hex): an identifier named without being held. */
const keyedTag = (key: Buffer, value: string) =>
  createHmac('sha256', key).update(value, 'utf8').digest('hex');

/** The key that names a metering point in the erased-period markers (`erasedPointTag`). */
export const erasedPointKeyOf = (keyring: Keyring) => keyringKey(keyring, 'erased-point-marker');

/**
 * How an erased customer's metering point is named where its erased periods are kept after
 * the erasure: a keyed hash of its id, so the marker holds no id (GSRNs, like identity
 * codes, are few enough to hash exhaustively, hence the key).
 */
export const erasedPointTag = keyedTag;

/** The key that names an erased customer in the registry's erasure marker (`erasedCustomerTag`). */
export const erasedCustomerKeyOf = (keyring: Keyring) =>
  keyringKey(keyring, 'erased-customer-marker');

/**
 * How the erasure marker on the customer-keys topic names a customer: a keyed hash of the
 * customer number, so the marker, kept for good on a compacted topic, holds no number.
 */
export const erasedCustomerTag = keyedTag;

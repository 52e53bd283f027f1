import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { type Keyring, KeyringError } from './keyring.js';

/**
 * A customer's key material, wrapped under a master-key version. This record, never the
 * unwrapped key, is what is stored (a compacted Kafka topic is its system of record).
 */
export interface WrappedCustomerKey {
  readonly customerId: string;
  readonly kekVersion: string;
  /** base64 of iv (12) | tag (16) | ciphertext (32). */
  readonly wrapped: string;
  readonly createdAt: string;
}

function aad(customerId: string, kekVersion: string): Buffer {
  // Binds the wrapped key to its customer: a record copied to another customer fails.
  return Buffer.from(`lukema-customer-key|${customerId}|${kekVersion}`);
}

/** Wraps key material (AES-256-GCM) under the keyring's current version. */
export function wrapCustomerKey(
  keyring: Keyring,
  customerId: string,
  key: Buffer,
  createdAt: string,
): WrappedCustomerKey {
  const kek = keyring.keys.get(keyring.current);
  if (!kek) throw new KeyringError(`no master key ${keyring.current}`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(aad(customerId, keyring.current));
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  const wrapped = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  return { customerId, kekVersion: keyring.current, wrapped, createdAt };
}

/** Creates fresh key material for a customer, wrapped. */
export function newCustomerKey(
  keyring: Keyring,
  customerId: string,
  createdAt: string,
): WrappedCustomerKey {
  return wrapCustomerKey(keyring, customerId, randomBytes(32), createdAt);
}

/**
 * Unwraps a customer's key material.
 * @throws KeyringError when the master-key version is missing or the record was altered.
 */
export function unwrapCustomerKey(keyring: Keyring, record: WrappedCustomerKey): Buffer {
  const kek = keyring.keys.get(record.kekVersion);
  if (!kek) throw new KeyringError(`no master key ${record.kekVersion} to unwrap customer key`);
  const bytes = Buffer.from(record.wrapped, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(0, 12));
    decipher.setAAD(aad(record.customerId, record.kekVersion));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  } catch {
    throw new KeyringError('customer key record does not authenticate');
  }
}

/** Re-wraps a record under the keyring's current version (master-key rotation). */
export function rewrapCustomerKey(
  keyring: Keyring,
  record: WrappedCustomerKey,
): WrappedCustomerKey {
  if (record.kekVersion === keyring.current) return record;
  return wrapCustomerKey(
    keyring,
    record.customerId,
    unwrapCustomerKey(keyring, record),
    record.createdAt,
  );
}

/**
 * The pseudonym of one metering point under one contract: HMAC-SHA256 under the customer's
 * key, 128 bits in hex. Stable within the contract; unlinkable across contracts and
 * customers without the key; destroying the customer's key makes it unresolvable. One per
 * metering point, so an access export can tell a contract's points apart.
 */
export function contractPseudonym(
  customerKey: Buffer,
  contractId: string,
  meteringPointId: string,
): string {
  return createHmac('sha256', customerKey)
    .update(`contract|${contractId}|${meteringPointId}`)
    .digest('hex')
    .slice(0, 32);
}

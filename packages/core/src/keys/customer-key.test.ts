import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  contractPseudonym,
  newCustomerKey,
  rewrapCustomerKey,
  unwrapCustomerKey,
} from './customer-key.js';
import { formatKeyring, type Keyring, KeyringError, parseKeyring } from './keyring.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring1: Keyring = { current: 'k1', keys: new Map([['k1', k1]]) };
const ring2: Keyring = {
  current: 'k2',
  keys: new Map([
    ['k1', k1],
    ['k2', k2],
  ]),
};

describe('keyring', () => {
  it('round-trips through its document form', () => {
    const parsed = parseKeyring(formatKeyring(ring2));
    expect(parsed.current).toBe('k2');
    expect(parsed.keys.get('k1')?.equals(k1)).toBe(true);
  });

  it('refuses a keyring without its current key or with short keys', () => {
    expect(() => parseKeyring('{"current":"k9","keys":{}}')).toThrow(KeyringError);
    expect(() => parseKeyring('{"current":"k1","keys":{"k1":"c2hvcnQ="}}')).toThrow(/32 bytes/);
  });
});

describe('customer keys and pseudonyms', () => {
  it('unwraps what it wrapped, and pseudonyms are stable per contract', () => {
    const record = newCustomerKey(ring1, '1001', '2026-01-01T00:00:00Z');
    const key = unwrapCustomerKey(ring1, record);
    expect(contractPseudonym(key, 'C1', '643007574000138589')).toBe(
      contractPseudonym(unwrapCustomerKey(ring1, record), 'C1', '643007574000138589'),
    );
    expect(contractPseudonym(key, 'C1', '643007574000138589')).not.toBe(
      contractPseudonym(key, 'C2', '643007574000138589'),
    );
    expect(contractPseudonym(key, 'C1', '643007574000138589')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives different customers unrelated pseudonyms for the same contract id', () => {
    const a = unwrapCustomerKey(ring1, newCustomerKey(ring1, 'A', 'now'));
    const b = unwrapCustomerKey(ring1, newCustomerKey(ring1, 'B', 'now'));
    expect(contractPseudonym(a, 'C1', '643007574000138589')).not.toBe(
      contractPseudonym(b, 'C1', '643007574000138589'),
    );
  });

  it('keeps pseudonyms across a master-key rotation', () => {
    const record = newCustomerKey(ring1, '1001', 'now');
    const before = contractPseudonym(unwrapCustomerKey(ring1, record), 'C1', '643007574000138589');
    const rotated = rewrapCustomerKey(ring2, record);
    expect(rotated.kekVersion).toBe('k2');
    expect(rotated.wrapped).not.toBe(record.wrapped);
    expect(contractPseudonym(unwrapCustomerKey(ring2, rotated), 'C1', '643007574000138589')).toBe(
      before,
    );
  });

  it('refuses a record moved to another customer or altered', () => {
    const record = newCustomerKey(ring1, '1001', 'now');
    expect(() => unwrapCustomerKey(ring1, { ...record, customerId: '1002' })).toThrow(KeyringError);
    const bytes = Buffer.from(record.wrapped, 'base64');
    bytes.writeUInt8(bytes.readUInt8(40) ^ 1, 40);
    expect(() =>
      unwrapCustomerKey(ring1, { ...record, wrapped: bytes.toString('base64') }),
    ).toThrow(KeyringError);
  });
});

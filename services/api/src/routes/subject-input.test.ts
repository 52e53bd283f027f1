import { describe, expect, it } from 'vitest';
import { subjectOf } from './subject-input.js';

describe('subjectOf', () => {
  it('takes a customer number or a valid identity code, each in its own field', () => {
    expect(subjectOf({ customerId: '100000' })).toEqual({ kind: 'customer', customerId: '100000' });
    expect(subjectOf({ personalIdentityCode: '131052-308T' })).toEqual({
      kind: 'identity',
      personalIdentityCode: '131052-308T',
    });
  });

  it('refuses an identity code or phone number given as a customer number, without echoing it', () => {
    for (const customerId of ['131052-308T', '0401234567', { $gt: '' }, 100000]) {
      const input = subjectOf({ customerId });
      expect(input.kind).toBe('invalid');
      expect(JSON.stringify(input)).not.toContain('131052-308T');
      expect(JSON.stringify(input)).not.toContain('0401234567');
    }
  });

  it('refuses both fields, neither, other fields, a non-string or invalid code, and non-objects', () => {
    const bad: unknown[] = [
      { customerId: '100000', personalIdentityCode: '131052-308T' },
      {},
      { customerId: '100000', note: 'x' },
      { personalIdentityCode: 12345 },
      { personalIdentityCode: '131052-308X' },
      [],
      null,
      'customerId=100000',
    ];
    for (const body of bad) expect(subjectOf(body).kind, JSON.stringify(body)).toBe('invalid');
  });
});

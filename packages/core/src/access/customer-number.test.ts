import { describe, expect, it } from 'vitest';
import { assertNoDirectIdentifiers } from '../audit/direct-identifiers.js';
import { customerNumberProblem, isCustomerNumber } from './customer-number.js';

describe('customer numbers', () => {
  it('accepts 6 to 9 digits not starting with 0', () => {
    for (const n of ['100000', '990001', '424242', '123456789']) {
      expect(isCustomerNumber(n), n).toBe(true);
      expect(customerNumberProblem(n)).toBeNull();
    }
  });

  it('refuses identity codes, phone numbers, short, long and non-string values', () => {
    for (const n of [
      '010190-123A',
      '0401234567',
      '+358401234567',
      '12345',
      '1234567890',
      'C-1001',
      ' 100000',
      '100000\n',
    ]) {
      expect(isCustomerNumber(n), n).toBe(false);
      expect(customerNumberProblem(n)).toMatch(/6 to 9 digits/);
      expect(customerNumberProblem(n)).not.toContain(n);
    }
    expect(customerNumberProblem({ $gt: '' })).toBe('a customer number must be a string');
    expect(customerNumberProblem(100000)).toBe('a customer number must be a string');
  });

  it('never looks like a direct identifier to the audit trail', () => {
    for (const subject of ['100000', '900000001', '358401234', '401234567']) {
      expect(() =>
        assertNoDirectIdentifiers({
          at: '2026-01-01T00:00:00Z',
          actor: 'dpo-1',
          role: 'dpo',
          purpose: 'access_request',
          action: 'export.create',
          outcome: 'allowed',
          subject,
        }),
      ).not.toThrow();
    }
  });
});

import { PoisonMessageError } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { parseContractEvent } from './contract-event.js';

const good = {
  contractId: 'C-1',
  customerId: '100101',
  siteId: 'S-1',
  postalCode: '00100',
  meteringPointIds: ['643007574000138589'],
  startDate: '2026-01-01',
  endDate: '2026-06-01',
  status: 'active',
  updatedAt: '2026-01-01T10:00:00Z',
};
const bytes = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('parseContractEvent', () => {
  it('accepts a well-formed event', () => {
    expect(parseContractEvent(bytes(good)).contractId).toBe('C-1');
  });

  it('refuses contact data and a malformed identity code without echoing them', () => {
    expect(() => parseContractEvent(bytes({ ...good, email: 'a@b.example' }))).toThrow(
      PoisonMessageError,
    );
    const identity = '010101-123X';
    try {
      parseContractEvent(bytes({ ...good, personalIdentityCode: identity }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PoisonMessageError);
      expect(String((error as Error).message)).not.toContain(identity);
    }
  });

  it('refuses bad metering points, impossible dates and reversed periods', () => {
    expect(() =>
      parseContractEvent(bytes({ ...good, meteringPointIds: ['643007574000138588'] })),
    ).toThrow(/check digit/);
    expect(() => parseContractEvent(bytes({ ...good, startDate: '2026-02-30' }))).toThrow(
      /impossible date/,
    );
    expect(() => parseContractEvent(bytes({ ...good, endDate: '2025-12-31' }))).toThrow(
      /ends before/,
    );
    expect(() => parseContractEvent(Buffer.from('nope'))).toThrow(/not JSON/);
  });

  it('refuses a customer that is not named by a customer number, without echoing it', () => {
    // An identity code as the customer would be stored under keys no erasure can reach.
    for (const customerId of ['131052-308T', '1001', '0401234567', 'C-1001']) {
      try {
        parseContractEvent(bytes({ ...good, customerId }));
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(PoisonMessageError);
        expect((error as Error).message).toMatch(/customer number/);
        expect((error as Error).message).not.toContain(customerId);
      }
    }
  });
});

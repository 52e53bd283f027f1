import { describe, expect, it } from 'vitest';
import { LukemaError } from '../errors/lukema-error.js';
import type { AuditEntry } from './audit-entry.js';
import { AuditPersonalDataError } from './audit-personal-data-error.js';
import { assertNoDirectIdentifiers } from './direct-identifiers.js';

const base: AuditEntry = {
  at: '2026-03-01T10:00:00.000Z',
  actor: 'support-token-2',
  role: 'support',
  purpose: 'customer-request',
  action: 'reidentify',
  subject: '100001',
  outcome: 'allowed',
};

/** A personal identity code with the check character computed as DVV does. */
function hetu(date: string, century: string, individual: string): string {
  const check = '0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(date + individual) % 31];
  return `${date}${century}${individual}${check}`;
}

function refusal(entry: AuditEntry): AuditPersonalDataError {
  try {
    assertNoDirectIdentifiers(entry);
  } catch (error) {
    if (error instanceof AuditPersonalDataError) return error;
    throw error;
  }
  throw new Error('entry was accepted');
}

const IDENTIFIERS = [
  ['personal-identity-code', hetu('131052', '-', '308')],
  ['personal-identity-code', hetu('010199', '+', '123')],
  ['personal-identity-code', hetu('010594', 'Y', '902')],
  ['personal-identity-code', hetu('020502', 'E', '902')],
  ['personal-identity-code', hetu('311223', 'A', '456')],
  ['personal-identity-code', hetu('150875', 'U', '011').toLowerCase()],
  ['email', 'matti.meikalainen@example.fi'],
  ['email', 'a+b@posti.example.com'],
  ['phone', '+358401234567'],
  ['phone', '+358 40 123 4567'],
  ['phone', '040-123 4567'],
  ['phone', '09 1234 5678'],
  ['phone', '0401234'],
  ['iban', 'FI2112345600000785'],
  ['iban', 'FI21 1234 5600 0007 85'],
  ['iban', 'fi2112345600000785'],
] as const;

describe('assertNoDirectIdentifiers', () => {
  it.each(IDENTIFIERS)('refuses a %s in the subject without echoing it (%s)', (kind, value) => {
    const error = refusal({ ...base, subject: value });
    expect(error.kind).toBe(kind);
    expect(error.field).toBe('subject');
    expect(error.retriable).toBe(false);
    expect(error).toBeInstanceOf(LukemaError);
    expect(error.message).not.toContain(value);
    expect(JSON.stringify(error.context)).not.toContain(value);
  });

  it.each(IDENTIFIERS)('refuses a %s inside free text of a details value (%s)', (kind, value) => {
    const error = refusal({ ...base, details: { note: `asked by ${value}, see ticket` } });
    expect(error).toMatchObject({ kind, field: 'details value' });
    expect(error.message).not.toContain(value);
  });

  it('checks the actor, role, purpose and details keys too', () => {
    const email = 'someone@example.org';
    expect(refusal({ ...base, actor: email }).field).toBe('actor');
    expect(refusal({ ...base, role: email }).field).toBe('role');
    expect(refusal({ ...base, purpose: email }).field).toBe('purpose');
    expect(refusal({ ...base, details: { [email]: true } }).field).toBe('details key');
  });

  it('accepts customer numbers, pseudonyms, dates, GSRNs and counts', () => {
    const accepted: AuditEntry[] = [
      base,
      { ...base, subject: 'population', details: undefined },
      {
        ...base,
        subject: 'a3f1c2d4e5b60718293a4b5c6d7e8f90a3f1c2d4e5b60718293a4b5c6d7e8f90',
        details: {
          gsrn: '643007574000000123',
          period: '2026-01-05 2026-02-01',
          from: '2026-01-05T00:00:00.000Z',
          jobId: '0f8fad5b-d9cb-469f-a165-70867728950e',
          rows: 1200345,
          version: '0.12.3',
          tokenScope: 'export@v2',
          hour: '01:00',
          iban: false,
        },
      },
      { ...base, subject: '1310527308' },
      { ...base, subject: 'FI211234560000078512' },
      { ...base, subject: '040123456789012' },
    ];
    for (const entry of accepted) expect(() => assertNoDirectIdentifiers(entry)).not.toThrow();
  });

  it('refuses an identity code whose check character is wrong (still personal data)', () => {
    const valid = hetu('131052', '-', '308');
    const wrong = `${valid.slice(0, -1)}${valid.endsWith('A') ? 'B' : 'A'}`;
    expect(refusal({ ...base, subject: wrong }).kind).toBe('personal-identity-code');
  });
});

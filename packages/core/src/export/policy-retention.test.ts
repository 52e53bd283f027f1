import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { retentionMsOf } from './policy-retention.js';
import { parsePrivacyPolicy } from './privacy-policy.js';
import { PrivacyPolicyError } from './privacy-policy-error.js';
import { POLICY } from './test-fixtures.js';

const DAY_MS = 86_400_000;

/** The fixture policy with `retention` in every language. */
function withRetention(retention: unknown[]): string {
  const languages = Object.fromEntries(
    Object.entries(POLICY.languages).map(([language, texts]) => [
      language,
      { ...texts, retention },
    ]),
  );
  return JSON.stringify({ ...POLICY, languages });
}

describe('retention the policy states for a store', () => {
  it('is keepYears of 365.25 days, rounded up to whole days', () => {
    const policy = parsePrivacyPolicy(
      withRetention([
        { data: 'Audit trail', period: '6 years', store: 'audit-trail', keepYears: 6 },
        { data: 'Recordings', period: '12 months' },
      ]),
    );
    expect(retentionMsOf(policy, 'audit-trail')).toBe(2192 * DAY_MS);
    expect(() => retentionMsOf(policy, 'recordings')).toThrow(PrivacyPolicyError);
  });

  it('refuses a store without a whole number of years, or years without a store', () => {
    for (const bad of [
      { data: 'x', period: 'y', store: 'audit-trail' },
      { data: 'x', period: 'y', store: 'audit-trail', keepYears: 1.5 },
      { data: 'x', period: 'y', store: 'audit-trail', keepYears: '6' },
      { data: 'x', period: 'y', keepYears: 6 },
    ]) {
      expect(() => parsePrivacyPolicy(withRetention([bad]))).toThrow(PrivacyPolicyError);
    }
  });

  it('refuses a translation that states another period for a store', () => {
    const good = { data: 'Audit trail', period: '6 years', store: 'audit-trail', keepYears: 6 };
    const policy = JSON.parse(withRetention([good]));
    policy.languages.sv.retention = [{ ...good, keepYears: 5 }];
    expect(() => parsePrivacyPolicy(JSON.stringify(policy))).toThrow(/keepYears/);
  });

  it('is six years for the audit trail in the shipped policy file', () => {
    const file = new URL('../../../../services/api/policy/privacy-policy.json', import.meta.url);
    const policy = parsePrivacyPolicy(readFileSync(file, 'utf8'));
    expect(retentionMsOf(policy, 'audit-trail')).toBe(2192 * DAY_MS);
  });
});

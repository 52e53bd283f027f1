import type { PrivacyPolicy } from './privacy-policy.js';
import { PrivacyPolicyError } from './privacy-policy-error.js';

const DAY_MS = 86_400_000;

/**
 * How long the store named `store` keeps entries, in ms, as the privacy policy states it:
 * `keepYears` years of 365.25 days, rounded up to whole days (6 years: 2,192 days).
 * @throws PrivacyPolicyError when the policy states no period for that store.
 */
export function retentionMsOf(policy: PrivacyPolicy, store: string): number {
  const entry = policy.languages[policy.defaultLanguage].retention.find((r) => r.store === store);
  if (entry?.keepYears === undefined) {
    throw new PrivacyPolicyError('retention', `states no keepYears for the store ${store}`);
  }
  return Math.ceil(entry.keepYears * 365.25) * DAY_MS;
}

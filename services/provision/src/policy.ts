import { readFileSync } from 'node:fs';
import { parsePrivacyPolicy, retentionMsOf } from '@lukema/core';

/** The privacy policy the rights API answers with: the one source of retention periods. */
export const POLICY_FILE = new URL('../../api/policy/privacy-policy.json', import.meta.url);

/**
 * How long the audit chains are kept, as the privacy policy states it (store
 * `audit-trail`, six years in the shipped policy).
 * @throws PrivacyPolicyError when the policy file is invalid or states no audit period.
 */
export function auditRetentionMs(file: URL | string = POLICY_FILE): number {
  return retentionMsOf(parsePrivacyPolicy(readFileSync(file, 'utf8')), 'audit-trail');
}

import { readFileSync } from 'node:fs';
import {
  parsePrivacyPolicy,
  parseRetentionPolicy,
  RetentionPolicyError,
  type RetentionRule,
  type RetentionStore,
  retentionMsOf,
} from '@lukema/core';

/**
 * The privacy policy the rights API answers with: the one source of retention periods.
 * Provisioning (buckets, topics), `retention apply|report`, the ingest worker's oldest
 * accepted reading and the API's export sweep all read their periods from it.
 */
export const POLICY_FILE = new URL(
  '../../../services/api/policy/privacy-policy.json',
  import.meta.url,
);

/**
 * How long the audit chains are kept, as the privacy policy states it (store
 * `audit-trail`, six years in the shipped policy).
 * @throws PrivacyPolicyError when the policy file is invalid or states no audit period.
 */
export function auditRetentionMs(file: URL | string = POLICY_FILE): number {
  return retentionMsOf(parsePrivacyPolicy(readFileSync(file, 'utf8')), 'audit-trail');
}

/**
 * What each store keeps and for how long, from the policy file's `retentionPolicy`.
 * @throws RetentionPolicyError when the section is missing or invalid.
 */
export function retentionRules(
  file: URL | string = POLICY_FILE,
): Map<RetentionStore, RetentionRule> {
  return parseRetentionPolicy(readFileSync(file, 'utf8'));
}

/**
 * A store's time-bound retention in ms.
 * @throws RetentionPolicyError when the store is not time-bound in the policy.
 */
export function keepMsOf(rules: Map<RetentionStore, RetentionRule>, store: RetentionStore): number {
  const keep = rules.get(store)?.keepMs;
  if (keep === null || keep === undefined)
    throw new RetentionPolicyError(store, 'is kept without a time bound');
  return keep;
}

import {
  AUDIT_CHAINS,
  auditRetentionMs,
  type BucketSpec,
  type Config,
  keepMsOf,
  type Permission,
  retentionRules,
  type TopicSpec,
} from '@lukema/platform';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A compacted topic holding personal data: an erasure's tombstone makes the older records of
 * its key go within about two days (the active segment rolls within `segment.ms`, and
 * `max.compaction.lag.ms` forces compaction of a dirty record within a day of being
 * written) and the tombstone itself a day later (`delete.retention.ms`).
 */
const ERASABLE_COMPACTED = {
  'cleanup.policy': 'compact',
  'segment.ms': String(DAY_MS),
  'max.compaction.lag.ms': String(DAY_MS),
  'delete.retention.ms': String(DAY_MS),
  'min.cleanable.dirty.ratio': '0.01',
};

/**
 * The topics Lukema needs, derived from config; the audit chains are kept as long as the
 * privacy policy says (`auditRetentionMs`).
 */
export function topicPlan(
  config: Config,
  auditKeepMs = auditRetentionMs(),
  rules = retentionRules(),
): TopicSpec[] {
  const { partitions, topics } = config.kafka;
  const audit = { 'retention.ms': String(auditKeepMs) };
  // Retention of the time-bound topics comes from the policy file (retention apply/report).
  const keep = (store: Parameters<typeof keepMsOf>[1]) => String(keepMsOf(rules, store));
  return [
    { topic: topics.readings, partitions, config: { 'retention.ms': keep('readings-topic') } },
    {
      // Dead letters wait for a fix and a replay; keep them long.
      topic: topics.deadLetter,
      partitions,
      config: { 'retention.ms': keep('dead-letters') },
    },
    // The customer system's contract assignments: compacted, the registry is rebuilt from it.
    // They carry identity codes: an erasure's tombstones must be compacted within a bound.
    { topic: topics.contracts, partitions, config: ERASABLE_COMPACTED },
    // The customer system's objections (opt-outs), latest per customer (erasure tombstones).
    { topic: topics.objections, partitions, config: ERASABLE_COMPACTED },
    // Corrected readings noticed by the workers, for the registry's audit chain.
    { topic: topics.corrections, partitions: 1, config: { 'retention.ms': keep('corrections') } },
    // Erasure requests: kept a week (the registry carries them out at once).
    { topic: topics.erasures, partitions: 1, config: { 'retention.ms': keep('erasure-requests') } },
    // Audit chains (one per writer): append-only, kept as long as the privacy policy says.
    // `admin` is the CLI's chain (token creation and revocation done without the API).
    ...AUDIT_CHAINS.map((chain) => ({
      topic: `${topics.audit}.${chain}`,
      partitions: 1,
      config: audit,
    })),
    {
      topic: topics.contractsDeadLetter,
      partitions: 1,
      config: { 'retention.ms': keep('contracts-dead-letters') },
    },
    {
      // System of record of wrapped customer key material: compacted, kept forever; a
      // tombstone (erasure) is removed after a day, leaving nothing of the key behind.
      topic: topics.customerKeys,
      partitions: 1,
      config: {
        'cleanup.policy': 'compact',
        'retention.ms': '-1',
        'delete.retention.ms': String(DAY_MS),
        // Roll segments daily so a tombstone is compacted within the erasure bound.
        'segment.ms': String(DAY_MS),
        'min.cleanable.dirty.ratio': '0.01',
        'min.insync.replicas': '1',
      },
    },
  ];
}

/** The buckets Lukema needs, kept as long as the policy file says (`raw-readings`, `rollups`). */
export function bucketPlan(config: Config, rules = retentionRules()): BucketSpec[] {
  return [
    {
      name: config.influx.buckets.readings,
      retentionSeconds: keepMsOf(rules, 'raw-readings') / 1000,
      description: 'Pseudonymized interval readings (billing grade)',
    },
    {
      name: config.influx.buckets.rollups,
      retentionSeconds: keepMsOf(rules, 'rollups') / 1000,
      description: 'Hourly and daily rollups of the readings, per series (rollup service)',
    },
  ];
}

/**
 * Scoped tokens per role: the ingest service may only write. Analysts get none: the
 * readings bucket holds per-customer (pseudonymized) series, which they reach only through
 * the API's guarded, audited analytics.
 */
export function tokenPlan(config: Config): Array<{
  role: 'ingest' | 'registry' | 'api' | 'rollup' | 'analytics';
  permissions: Permission[];
}> {
  const { readings, rollups } = config.influx.buckets;
  return [
    { role: 'ingest', permissions: [{ action: 'write', bucket: readings }] },
    // Rectification re-attaches stored readings and erasure deletes a customer's series:
    // both read and write (the delete API needs write).
    {
      role: 'registry',
      permissions: [
        { action: 'read', bucket: readings },
        { action: 'write', bucket: readings },
      ],
    },
    // The rights API (exports, analytics) only reads; erasure is carried out by the registry.
    { role: 'api', permissions: [{ action: 'read', bucket: readings }] },
    // The rollup service reads the readings and replaces rollups; the registry uses it too,
    // to delete an erased pseudonym's rollups (a token of its own, so stacks provisioned
    // before the rollups existed get it on the next run without re-issuing others).
    {
      role: 'rollup',
      permissions: [
        { action: 'read', bucket: readings },
        { action: 'read', bucket: rollups },
        { action: 'write', bucket: rollups },
      ],
    },
    // The rights API's guarded analytics read the rollups only (a token of its own, so the
    // api token of an older stack need not change).
    { role: 'analytics', permissions: [{ action: 'read', bucket: rollups }] },
  ];
}

/** Role tokens earlier plans created and provisioning now revokes (their file and token). */
export const RETIRED_TOKEN_ROLES = ['analyst'] as const;

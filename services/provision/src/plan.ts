import type { BucketSpec, Config, Permission, TopicSpec } from '@lukema/platform';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The topics Lukema needs, derived from config. */
export function topicPlan(config: Config): TopicSpec[] {
  const { partitions, topics } = config.kafka;
  return [
    { topic: topics.readings, partitions, config: { 'retention.ms': String(7 * DAY_MS) } },
    {
      // Dead letters wait for a fix and a replay; keep them long.
      topic: topics.deadLetter,
      partitions,
      config: { 'retention.ms': String(90 * DAY_MS) },
    },
    // The customer system's contract assignments: compacted, the registry is rebuilt from it.
    { topic: topics.contracts, partitions, config: { 'cleanup.policy': 'compact' } },
    // The customer system's objections (opt-outs), latest per customer.
    { topic: topics.objections, partitions, config: { 'cleanup.policy': 'compact' } },
    // Corrected readings noticed by the workers, for the registry's audit chain.
    { topic: topics.corrections, partitions: 1, config: { 'retention.ms': String(30 * DAY_MS) } },
    // Erasure requests: kept a week (the registry carries them out at once).
    { topic: topics.erasures, partitions: 1, config: { 'retention.ms': String(7 * DAY_MS) } },
    // Audit chains (one per writer): append-only, kept forever.
    { topic: `${topics.audit}.api`, partitions: 1, config: { 'retention.ms': '-1' } },
    { topic: `${topics.audit}.registry`, partitions: 1, config: { 'retention.ms': '-1' } },
    {
      topic: topics.contractsDeadLetter,
      partitions: 1,
      config: { 'retention.ms': String(90 * DAY_MS) },
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

/** The buckets Lukema needs, with retention rules from config. */
export function bucketPlan(config: Config): BucketSpec[] {
  return [
    {
      name: config.influx.buckets.readings,
      retentionSeconds: config.influx.readingsRetentionDays * 24 * 60 * 60,
      description: 'Pseudonymized interval readings (billing grade)',
    },
  ];
}

/** Scoped tokens per role: the ingest service may only write; analysts may only read. */
export function tokenPlan(
  config: Config,
): Array<{ role: 'ingest' | 'analyst' | 'registry' | 'api'; permissions: Permission[] }> {
  const readings = config.influx.buckets.readings;
  return [
    { role: 'ingest', permissions: [{ action: 'write', bucket: readings }] },
    { role: 'analyst', permissions: [{ action: 'read', bucket: readings }] },
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
  ];
}

import type { RetentionObservation, RetentionRule, RetentionStore } from '@lukema/core';
import {
  AUDIT_CHAINS,
  auditRetentionMs,
  type Config,
  entriesOlderThan,
  exportFolder,
  type InfluxAdmin,
  keepMsOf,
  type Redis,
  redisKeys,
  type TopicAdmin,
} from '@lukema/platform';
import { bucketPlan, topicPlan } from './plan.js';

export interface RetentionDeps {
  readonly config: Config;
  readonly topics: Pick<TopicAdmin, 'topicConfig' | 'alignTopicConfigs'>;
  readonly influx: Pick<InfluxAdmin, 'bucketRetentionSeconds' | 'ensureBucket'>;
  readonly redis: Pick<Redis, 'scan' | 'ttl' | 'expire'>;
  readonly rules: Map<RetentionStore, RetentionRule>;
}

/** The Kafka topics under a time-bound policy, by store. */
function policyTopics(config: Config): Array<[RetentionStore, string]> {
  const t = config.kafka.topics;
  return [
    ['readings-topic', t.readings],
    ['dead-letters', t.deadLetter],
    ['contracts-dead-letters', t.contractsDeadLetter],
    ['corrections', t.corrections],
    ['erasure-requests', t.erasures],
    ...AUDIT_CHAINS.map((chain): [RetentionStore, string] => [
      'audit-trail',
      `${t.audit}.${chain}`,
    ]),
  ];
}

/** Redis key patterns whose keys carry a TTL under the policy. */
function windowStatePatterns(config: Config): string[] {
  const names = redisKeys(config.registry.redisPrefix);
  return [`${names.windowDigests}:*`, `${names.windowRevisions}:*`];
}

async function* scanKeys(redis: RetentionDeps['redis'], pattern: string): AsyncGenerator<string> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    yield* keys;
  } while (cursor !== '0');
}

/** Keys of a pattern that live longer than `keepSeconds` (no TTL, or a longer one). */
async function keysBeyond(redis: RetentionDeps['redis'], pattern: string, keepSeconds: number) {
  const beyond: string[] = [];
  for await (const key of scanKeys(redis, pattern)) {
    const ttl = await redis.ttl(key);
    if (ttl === -1 || ttl > keepSeconds) beyond.push(key);
  }
  return beyond;
}

const policyOf = (deps: RetentionDeps, store: RetentionStore) =>
  deps.rules.get(store)?.keepMs ?? null;

/** What each store holds, beside the policy: the input of `retention report`. */
export async function observeRetention(deps: RetentionDeps): Promise<RetentionObservation[]> {
  const { config, influx, topics, redis } = deps;
  const out: RetentionObservation[] = [];
  const buckets: Array<[RetentionStore, string]> = [
    ['raw-readings', config.influx.buckets.readings],
    ['rollups', config.influx.buckets.rollups],
  ];
  for (const [store, bucket] of buckets) {
    const seconds = await influx.bucketRetentionSeconds(bucket);
    out.push({
      store,
      where: `influxdb bucket ${bucket}`,
      policyMs: policyOf(deps, store),
      actualMs: seconds === undefined || seconds === 0 ? null : seconds * 1000,
    });
  }
  for (const [store, topic] of policyTopics(config)) {
    const { 'retention.ms': ms } = await topics.topicConfig(topic, ['retention.ms']);
    const actual = ms === undefined || Number(ms) < 0 ? null : Number(ms);
    out.push({
      store,
      where: `kafka topic ${topic}`,
      policyMs: policyOf(deps, store),
      actualMs: actual,
    });
  }
  const windowKeep = keepMsOf(deps.rules, 'window-state') / 1000;
  for (const pattern of windowStatePatterns(config)) {
    out.push({
      store: 'window-state',
      where: `redis ${pattern}`,
      policyMs: policyOf(deps, 'window-state'),
      actualMs: policyOf(deps, 'window-state'),
      offending: (await keysBeyond(redis, pattern, windowKeep)).length,
    });
  }
  out.push({
    store: 'parked-readings',
    where: `redis ${redisKeys(config.registry.redisPrefix).parked}:mp:*`,
    policyMs: policyOf(deps, 'parked-readings'),
    // Parked lists carry no TTL: they go when their assignment arrives or on erasure.
    actualMs: null,
  });
  const held = `${redisKeys(config.registry.redisPrefix).heldRequests}:*`;
  out.push({
    store: 'access-requests',
    where: `redis ${held}`,
    policyMs: policyOf(deps, 'access-requests'),
    actualMs: policyOf(deps, 'access-requests'),
    offending: (await keysBeyond(redis, held, keepMsOf(deps.rules, 'access-requests') / 1000))
      .length,
  });
  // The API sweeps exports by the same rule; folders older than it are what a sweep missed.
  const exportKeep = keepMsOf(deps.rules, 'exports');
  const exports = exportFolder(
    config.api.exportDir,
    redisKeys(config.registry.redisPrefix).exportQueue,
  );
  out.push({
    store: 'exports',
    where: `export folders in ${exports} (API sweep)`,
    policyMs: exportKeep,
    actualMs: exportKeep,
    offending: (await entriesOlderThan(exports, exportKeep)).length,
    unit: 'folders',
  });
  return out;
}

/**
 * Makes the stores match the policy: bucket retention, topic retention (with the rest of
 * each topic's planned configuration), TTLs of window-state keys and held requests. Exports
 * are swept by the API by the same policy period: the report counts folders a sweep missed,
 * apply leaves them to the sweep. Returns what was changed.
 */
export async function applyRetention(deps: RetentionDeps): Promise<string[]> {
  const { config, influx, topics, redis } = deps;
  const changed: string[] = [];
  const buckets: Array<[RetentionStore, string]> = [
    ['raw-readings', config.influx.buckets.readings],
    ['rollups', config.influx.buckets.rollups],
  ];
  const planned = new Map(bucketPlan(config, deps.rules).map((b) => [b.name, b]));
  for (const [store, bucket] of buckets) {
    const seconds = keepMsOf(deps.rules, store) / 1000;
    if ((await influx.bucketRetentionSeconds(bucket)) === seconds) continue;
    await influx.ensureBucket({ ...planned.get(bucket), name: bucket, retentionSeconds: seconds });
    changed.push(`influxdb bucket ${bucket}`);
  }
  const altered = await topics.alignTopicConfigs(topicPlan(config, auditRetentionMs(), deps.rules));
  changed.push(...altered.map((t) => `kafka topic ${t}`));
  const keep = keepMsOf(deps.rules, 'window-state') / 1000;
  for (const pattern of windowStatePatterns(config)) {
    const beyond = await keysBeyond(redis, pattern, keep);
    for (const key of beyond) await redis.expire(key, keep);
    if (beyond.length > 0) changed.push(`redis ${pattern} (${beyond.length} keys)`);
  }
  const heldKeep = keepMsOf(deps.rules, 'access-requests') / 1000;
  const held = `${redisKeys(config.registry.redisPrefix).heldRequests}:*`;
  const heldBeyond = await keysBeyond(redis, held, heldKeep);
  for (const key of heldBeyond) await redis.expire(key, heldKeep);
  if (heldBeyond.length > 0) changed.push(`redis ${held} (${heldBeyond.length} keys)`);
  return changed;
}

import { randomBytes } from 'node:crypto';
import { formatKeyring } from '@lukema/core';
import {
  type Config,
  createKafka,
  createLogger,
  createRedis,
  InfluxClientAdapter,
  KafkajsProducer,
  KafkajsTopicAdmin,
  type Logger,
  loadConfig,
  readInfluxToken,
  redisConnection,
} from '@lukema/platform';
import { bucketPlan, topicPlan } from '@lukema/provision/plan';
import { waitFor } from './wait-for.js';

/**
 * A private corner of the local stack for one test file: unique topics, bucket, consumer
 * groups, Redis prefix and keyring, created on start and removed on close.
 */
export async function createTestStack(
  name: string,
  overrides: Record<string, string> = {},
  options: {
    /** The test bucket's retention when it should differ from the configured one. */
    readonly bucketRetentionSeconds?: number;
  } = {},
) {
  const id = `${name}-${randomBytes(4).toString('hex')}`;
  const base = loadConfig(process.env);
  const operatorToken = readInfluxToken(base, 'operator');
  const keyring = { current: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
  const env: Record<string, string> = {
    LUKEMA_TOPIC_READINGS: `t.${id}.readings`,
    LUKEMA_TOPIC_DEAD_LETTER: `t.${id}.dead-letter`,
    LUKEMA_TOPIC_CONTRACTS: `t.${id}.contracts`,
    LUKEMA_TOPIC_CONTRACTS_DEAD_LETTER: `t.${id}.contracts-dead-letter`,
    LUKEMA_TOPIC_CUSTOMER_KEYS: `t.${id}.customer-keys`,
    LUKEMA_TOPIC_OBJECTIONS: `t.${id}.objections`,
    LUKEMA_TOPIC_ERASURES: `t.${id}.erasures`,
    LUKEMA_TOPIC_CORRECTIONS: `t.${id}.corrections`,
    LUKEMA_TOPIC_AUDIT: `t.${id}.audit`,
    LUKEMA_INGEST_GROUP: `t.${id}.ingest`,
    LUKEMA_REGISTRY_GROUP: `t.${id}.registry`,
    LUKEMA_REDIS_PREFIX: `t:${id}`,
    LUKEMA_INFLUX_BUCKET_READINGS: `t-${id}`,
    LUKEMA_KEYRING: formatKeyring(keyring),
    // Test buckets are created per test, so tests write with the operator token; the
    // scoped role tokens are tested on the provisioned bucket.
    LUKEMA_INFLUX_TOKEN: operatorToken,
    LUKEMA_LOG_LEVEL: process.env.LUKEMA_LOG_LEVEL ?? 'warn',
    ...overrides,
  };
  const config: Config = loadConfig({ ...process.env, ...env });
  const logger: Logger = createLogger({ level: config.logLevel, name: `test-${name}` });
  const kafka = createKafka({ ...config.kafka, logger });
  const admin = new KafkajsTopicAdmin(kafka);
  const producer = new KafkajsProducer(kafka);
  const redis = createRedis(redisConnection(config));
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: operatorToken,
  });
  // The same topics and bucket as production provisioning (partitions, compaction).
  const topicSpecs = topicPlan(config);
  const topics = topicSpecs.map((spec) => spec.topic);
  await admin.ensureTopics(topicSpecs);
  const [bucket] = bucketPlan(config);
  if (!bucket) throw new Error('the provisioning plan has no readings bucket');
  await influx.ensureBucket({
    ...bucket,
    ...(options.bucketRetentionSeconds ? { retentionSeconds: options.bucketRetentionSeconds } : {}),
  });

  return {
    id,
    /** The LUKEMA_* variables of this stack, for services started as child processes. */
    env,
    config,
    keyring,
    logger,
    kafka,
    admin,
    producer,
    redis,
    influx,
    /** Flux for the test bucket over all time. */
    from: () =>
      `from(bucket: "${config.influx.buckets.readings}") |> range(start: 0, stop: 2100-01-01T00:00:00Z)`,
    lag: (topic = config.kafka.topics.readings, group = config.ingest.group) =>
      admin.lag(group, topic),
    /** Waits until the registry has taken in every contract event published so far. */
    contractsApplied: () =>
      waitFor(
        'contracts applied',
        async () => (await admin.lag(config.registry.group, config.kafka.topics.contracts)) === 0,
      ),
    /** A contract as the registry stored it (for the pseudonyms it derived). */
    async registryContract(contractId: string) {
      const raw = await redis.hget(`${config.registry.redisPrefix}:registry:contracts`, contractId);
      return raw ? (JSON.parse(raw) as { pseudonyms: Record<string, string> }) : undefined;
    },
    async close() {
      await producer.close();
      await admin.deleteTopics(topics).catch(() => undefined);
      await admin.close();
      await influx.deleteBucket(config.influx.buckets.readings).catch(() => undefined);
      const keys = await redis.keys(`t:${id}:*`).catch(() => [] as string[]);
      if (keys.length > 0) await redis.del(...keys).catch(() => undefined);
      redis.disconnect();
    },
  };
}

export type TestStack = Awaited<ReturnType<typeof createTestStack>>;

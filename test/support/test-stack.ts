import { randomBytes } from 'node:crypto';
import {
  type Config,
  createKafka,
  createLogger,
  InfluxClientAdapter,
  KafkajsProducer,
  KafkajsTopicAdmin,
  type Logger,
  loadConfig,
  readInfluxToken,
} from '@lukema/platform';

/**
 * A private corner of the local stack for one test file: unique topics, bucket and
 * consumer group, created on start and removed on close.
 */
export async function createTestStack(name: string, env: Record<string, string> = {}) {
  const id = `${name}-${randomBytes(4).toString('hex')}`;
  const base = loadConfig(process.env);
  const operatorToken = readInfluxToken(base, 'operator');
  const config: Config = loadConfig({
    ...process.env,
    LUKEMA_TOPIC_READINGS: `t.${id}.readings`,
    LUKEMA_TOPIC_DEAD_LETTER: `t.${id}.dead-letter`,
    LUKEMA_INGEST_GROUP: `t.${id}.ingest`,
    LUKEMA_INFLUX_BUCKET_READINGS: `t-${id}`,
    // Test buckets are created per test, so tests write with the operator token; the
    // scoped role tokens are tested on the provisioned bucket.
    LUKEMA_INFLUX_TOKEN: operatorToken,
    LUKEMA_LOG_LEVEL: process.env.LUKEMA_LOG_LEVEL ?? 'warn',
    ...env,
  });
  const logger: Logger = createLogger({ level: config.logLevel, name: `test-${name}` });
  const kafka = createKafka({ ...config.kafka, logger });
  const admin = new KafkajsTopicAdmin(kafka);
  const producer = new KafkajsProducer(kafka);
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: operatorToken,
  });
  const topics = [config.kafka.topics.readings, config.kafka.topics.deadLetter];
  await admin.ensureTopics(topics.map((topic) => ({ topic, partitions: config.kafka.partitions })));
  await influx.ensureBucket({
    name: config.influx.buckets.readings,
    retentionSeconds: config.influx.readingsRetentionDays * 86_400,
  });

  return {
    id,
    config,
    logger,
    kafka,
    admin,
    producer,
    influx,
    /** Flux for the test bucket over all time. */
    from: () => `from(bucket: "${config.influx.buckets.readings}") |> range(start: 0)`,
    async close() {
      await producer.close();
      await admin.deleteTopics(topics).catch(() => undefined);
      await admin.close();
      await influx.deleteBucket(config.influx.buckets.readings).catch(() => undefined);
    },
  };
}

export type TestStack = Awaited<ReturnType<typeof createTestStack>>;

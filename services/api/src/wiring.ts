import { readFileSync } from 'node:fs';
import { identityCodeHash, parsePrivacyPolicy } from '@lukema/core';
import {
  type Config,
  createKafka,
  createRedis,
  InfluxClientAdapter,
  IoredisRegistryStore,
  KafkaAuditLog,
  KafkajsProducer,
  KafkajsSnapshotReader,
  type Logger,
  readInfluxToken,
  readKeyring,
} from '@lukema/platform';
import { identityKeyOf } from '@lukema/registry';
import { Redis } from 'ioredis';
import type { ApiDeps } from './api-deps.js';
import { createExportWorker, ExportJobs } from './export-jobs.js';
import { guard } from './guard.js';
import { ObjectionFilter } from './objection-filter.js';
import { createServer } from './server.js';
import { RedisTokenStore } from './token-store.js';

const POLICY_FILE = new URL('../policy/privacy-policy.json', import.meta.url);

/** Builds the rights API, its export worker and their adapters from config. */
export function createRightsApi(config: Config, logger: Logger) {
  const kafka = createKafka({ ...config.kafka, logger });
  const redis = createRedis(config.redis.url);
  // BullMQ wants its own connections that wait for Redis instead of failing fast.
  const queueRedis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const prefix = config.registry.redisPrefix;
  const producer = new KafkajsProducer(kafka);
  const snapshots = new KafkajsSnapshotReader(kafka);
  const topics = config.kafka.topics;
  const audit = new KafkaAuditLog({ producer, snapshots, topic: `${topics.audit}.api` });
  const registryAudit = new KafkaAuditLog({
    producer,
    snapshots,
    topic: `${topics.audit}.registry`,
  });
  const registry = new IoredisRegistryStore(redis, `${prefix}:registry`);
  const tokens = new RedisTokenStore(redis, `${prefix}:api-tokens`);
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    // Read-only: the API never writes or deletes readings (erasure is the registry's).
    token: readInfluxToken(config, 'api'),
  });
  const identityKey = identityKeyOf(readKeyring(config));
  const policy = parsePrivacyPolicy(readFileSync(POLICY_FILE, 'utf8'));
  const queueName = `${prefix.replace(/:/g, '-')}-access-exports`;
  const exports = new ExportJobs(queueRedis, queueName, config.api.exportTtlMs);
  const auditRecords = async () => [...(await audit.records()), ...(await registryAudit.records())];
  const deps: ApiDeps = {
    can: guard(tokens, audit),
    audit,
    auditChains: async () => ({
      api: await audit.records(),
      registry: await registryAudit.records(),
    }),
    registry,
    identityHash: (code) => identityCodeHash(identityKey, code),
    exports,
    exportDirectory: config.api.exportDir,
    readings: influx,
    bucket: config.influx.buckets.readings,
    objections: new ObjectionFilter(registry),
    topics: { objections: topics.objections, erasures: topics.erasures },
    publish: (topic, key, value) => producer.send(topic, [{ key, value: JSON.stringify(value) }]),
  };
  const app = createServer(deps, logger.child({ component: 'rights-api' }));
  const worker = createExportWorker(queueRedis, queueName, {
    registry,
    readings: influx,
    bucket: config.influx.buckets.readings,
    policy,
    auditRecords,
    directory: config.api.exportDir,
  });
  return {
    app,
    tokens,
    audit,
    exports,
    worker,
    async start(port = config.api.port) {
      await audit.load();
      await app.listen({ host: '127.0.0.1', port });
      return app.server.address();
    },
    async stop() {
      await app.close();
      await worker.close();
      await exports.close();
      await producer.close();
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}

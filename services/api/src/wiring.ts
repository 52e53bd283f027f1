import { readFileSync } from 'node:fs';
import { identityCodeHash, identityKeyOf, parsePrivacyPolicy } from '@lukema/core';
import {
  auditTopic,
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
import { Redis } from 'ioredis';
import type { ApiDeps } from './api-deps.js';
import { createExportWorker, ExportJobs } from './export-jobs.js';
import { guard } from './guard.js';
import { ObjectionFilter } from './objection-filter.js';
import { createServer } from './server.js';
import { TokenAdmin } from './token-admin.js';
import { RedisTokenStore, tokenHashKey } from './token-store.js';

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
  const audit = new KafkaAuditLog({ producer, snapshots, topic: auditTopic(topics.audit, 'api') });
  const registryAudit = new KafkaAuditLog({
    producer,
    snapshots,
    topic: auditTopic(topics.audit, 'registry'),
  });
  // The CLI's chain: read here, written only by the CLI (one writer per chain).
  const adminAudit = new KafkaAuditLog({
    producer,
    snapshots,
    topic: auditTopic(topics.audit, 'admin'),
  });
  const registry = new IoredisRegistryStore(redis, `${prefix}:registry`);
  const tokens = new TokenAdmin({
    store: new RedisTokenStore(redis, tokenHashKey(prefix)),
    audit,
    ttlMs: config.api.tokenTtlMs,
    // Tokens created by the program that wires the API (tests, embedding hosts).
    defaultActor: { actor: 'rights-api', role: 'system', purpose: 'internal_operations' },
  });
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: readInfluxToken(config, 'dpo'),
  });
  const identityKey = identityKeyOf(readKeyring(config));
  const policy = parsePrivacyPolicy(readFileSync(POLICY_FILE, 'utf8'));
  const queueName = `${prefix.replace(/:/g, '-')}-access-exports`;
  const exports = new ExportJobs(queueRedis, queueName, config.api.exportTtlMs);
  const auditRecords = async () => [...(await audit.records()), ...(await registryAudit.records())];
  const deps: ApiDeps = {
    can: guard(tokens.store, audit),
    audit,
    auditChains: async () => ({
      api: await audit.records(),
      registry: await registryAudit.records(),
      admin: await adminAudit.records(),
    }),
    registry,
    identityHash: (code) => identityCodeHash(identityKey, code),
    exports,
    exportDirectory: config.api.exportDir,
    flux: influx,
    bucket: config.influx.buckets.readings,
    objections: new ObjectionFilter(registry),
    topics: { objections: topics.objections, erasures: topics.erasures },
    publish: (topic, key, value) => producer.send(topic, [{ key, value: JSON.stringify(value) }]),
    tokens,
  };
  const app = createServer(deps, logger.child({ component: 'rights-api' }));
  const worker = createExportWorker(queueRedis, queueName, {
    registry,
    flux: influx,
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

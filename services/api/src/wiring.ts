import { readFileSync } from 'node:fs';
import { identityCodeHash, identityKeyOf, parsePrivacyPolicy } from '@lukema/core';
import {
  auditTopic,
  auditWritesCounter,
  BullmqExportArchive,
  type Config,
  createKafka,
  createMetricsRegistry,
  createRedis,
  exportFolder,
  InfluxClientAdapter,
  IoredisHeldRequests,
  IoredisLegalHolds,
  IoredisPrivacyBudget,
  IoredisRegistryStore,
  IoredisUnownedSeries,
  influxCheck,
  KafkaAuditLog,
  KafkajsProducer,
  KafkajsSnapshotReader,
  kafkaCheck,
  keepMsOf,
  type Logger,
  meteredAuditLog,
  opsHandlers,
  POLICY_FILE,
  readInfluxToken,
  readKeyring,
  redisCheck,
  redisConnection,
  redisKeys,
  retentionRules,
} from '@lukema/platform';
import type { ApiDeps } from './api-deps.js';
import { apiMetrics } from './api-metrics.js';
import { registerConsole } from './console/console-plugin.js';
import { OidcClient } from './console/oidc-client.js';
import { SessionStore, sessionTokenKey } from './console/sessions.js';
import { SignInLinks } from './console/sign-in-links.js';
import { parseUiTexts } from './console/ui-texts.js';
import { createExportWorker, ExportJobs } from './export-jobs.js';
import { startExportSweep } from './export-sweep.js';
import { guard } from './guard.js';
import { ObjectionFilter } from './objection-filter.js';
import { createOperations } from './operations.js';
import { opsRoutes } from './routes/ops.js';
import { createServer } from './server.js';
import { TokenAdmin } from './token-admin.js';
import { RedisTokenStore, tokenHashKey } from './token-store.js';

const UI_TEXTS_FILE = new URL('../policy/ui-texts.json', import.meta.url);

/** Builds the rights API, its export worker and their adapters from config. */
export function createRightsApi(config: Config, logger: Logger) {
  const rules = retentionRules(POLICY_FILE);
  // Exports are downloadable as long as the retention policy keeps them, then swept.
  const exportKeepMs = keepMsOf(rules, 'exports');
  const kafka = createKafka({ ...config.kafka, logger });
  const redisAt = redisConnection(config);
  const redis = createRedis(redisAt);
  // BullMQ wants its own connections that wait for Redis instead of failing fast.
  const queueRedis = createRedis(redisAt, { maxRetriesPerRequest: null });
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
  const metrics = createMetricsRegistry();
  // Every append of the API's chain is counted (the same log object, so `load` stays).
  const countedAudit = meteredAuditLog(audit, auditWritesCounter(metrics), 'api');
  const registry = new IoredisRegistryStore(redis, `${prefix}:registry`);
  const tokens = new TokenAdmin({
    store: new RedisTokenStore(redis, tokenHashKey(prefix)),
    audit: countedAudit,
    ttlMs: config.api.tokenTtlMs,
    // Tokens created by the program that wires the API (tests, embedding hosts).
    defaultActor: { actor: 'rights-api', role: 'system', purpose: 'internal_operations' },
  });
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    // Read-only: the API never writes or deletes readings (erasure is the registry's).
    token: readInfluxToken(config, 'api'),
  });
  // The guarded analytics read the rollups bucket only, with a read token for just that.
  const rollupReader = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: readInfluxToken(config, 'analytics'),
    maxQueryRows: config.analytics.maxSeriesRows,
  });
  const keyring = readKeyring(config);
  const identityKey = identityKeyOf(keyring);
  const policy = parsePrivacyPolicy(readFileSync(POLICY_FILE, 'utf8'));
  const names = redisKeys(prefix);
  const queueName = names.exportQueue;
  const exportDirectory = exportFolder(config.api.exportDir, queueName);
  const exports = new ExportJobs(queueRedis, queueName, exportKeepMs, exportDirectory);
  // Erasure (in the registry) cancels and removes exports; the sweep removes expired ones.
  const archive = new BullmqExportArchive({
    connection: queueRedis,
    queueName,
    directory: exportDirectory,
    cancelPrefix: names.exportCancels,
  });
  // The operator's corner and the dead-letter replay route (the CLI's replay function).
  const operations = createOperations(config, {
    kafka,
    redis,
    producer,
    logger: logger.child({ component: 'operations' }),
  });
  // Held requests live no longer than the retention policy's `access-requests`.
  const heldKeepMs = keepMsOf(rules, 'access-requests');
  const heldRequests = new IoredisHeldRequests(redis, names.heldRequests, heldKeepMs / 1000);
  const auditRecords = async () => [...(await audit.records()), ...(await registryAudit.records())];
  const deps: ApiDeps = {
    can: guard(tokens.store, countedAudit),
    audit: countedAudit,
    auditChains: async () => ({
      api: await audit.records(),
      registry: await registryAudit.records(),
      admin: await adminAudit.records(),
    }),
    registry,
    seriesAreas: registry,
    identityHash: (code) => identityCodeHash(identityKey, code),
    exports,
    heldRequests,
    exportDirectory,
    readings: {
      dailyConsumption: (bucket, query) => influx.dailyConsumption(bucket, query),
      periodContributions: (bucket, query) => rollupReader.periodContributions(bucket, query),
      areaPeriods: (bucket, query) => rollupReader.areaPeriods(bucket, query),
      areaProfile: (bucket, query, options) => rollupReader.areaProfile(bucket, query, options),
    },
    bucket: config.influx.buckets.readings,
    objections: new ObjectionFilter(
      registry,
      new IoredisUnownedSeries(redis, names.rollupUnownedSeries),
    ),
    rollupBucket: config.influx.buckets.rollups,
    disclosure: config.analytics,
    privacy: {
      ...config.analytics.privacy,
      budgets: new IoredisPrivacyBudget(redis, names.privacyBudget),
    },
    topics: { objections: topics.objections, erasures: topics.erasures },
    publish: (topic, key, value) => producer.send(topic, [{ key, value }]),
    tokens,
    legalHolds: new IoredisLegalHolds(redis, names.legalHolds),
    deadLetters: { replay: (kind) => operations.replay(kind) },
  };
  const app = createServer(deps, logger.child({ component: 'rights-api' }));
  const links = new SignInLinks(redis, names.signInLinks);
  const sessionIdleMs = 30 * 60_000;
  // Sessions survive a restart; a DPO's token in them is sealed with a key of its own.
  const sessions = new SessionStore(
    redis,
    names.consoleSessions,
    sessionIdleMs,
    sessionTokenKey(keyring.keys.values().next().value as Buffer),
  );
  // The DPO console and the customer's page, served by the API (see console/).
  registerConsole(app, {
    api: app,
    tokens: tokens.store,
    audit,
    auditRecords,
    registry,
    readings: influx,
    bucket: config.influx.buckets.readings,
    exports,
    operations,
    publishObjection: (customerId, value) =>
      producer.send(topics.objections, [{ key: customerId, value }]),
    links,
    legalHolds: deps.legalHolds,
    ...(config.api.oidc ? { oidc: new OidcClient(config.api.oidc) } : {}),
    customerByIdentityCode: (code) =>
      registry.customerByIdentity(identityCodeHash(identityKey, code)),
    texts: parseUiTexts(readFileSync(UI_TEXTS_FILE, 'utf8')),
    sessions,
    heldRequests,
    sessionIdleMs,
  });
  const worker = createExportWorker(queueRedis, queueName, {
    registry,
    readings: influx,
    bucket: config.influx.buckets.readings,
    policy,
    auditRecords,
    directory: exportDirectory,
    cancelled: (requestId) => archive.cancelRequested(requestId),
  });
  const kafkaReady = kafkaCheck(config.kafka.brokers);
  opsRoutes(
    app,
    opsHandlers(metrics, [kafkaReady, influxCheck(config.influx.url), redisCheck(redis)]),
  );
  const measured = apiMetrics(metrics, { app, worker, connection: queueRedis, queueName });
  let sweep: { stop(): void } | undefined;
  const sweepExpiredExports = (nowMs?: number) => archive.sweepExpired(exportKeepMs, nowMs);
  return {
    app,
    tokens,
    audit,
    /** Mints one-time sign-in links to the customer's page (local stack). */
    links,
    exports,
    worker,
    /** Removes expired exports now (it also runs periodically while the API runs). */
    sweepExpiredExports,
    async start(port = config.api.port) {
      await audit.load();
      sweep = startExportSweep(sweepExpiredExports, logger.child({ component: 'export-sweep' }));
      await app.listen({ host: config.ops.host, port });
      return app.server.address();
    },
    async stop() {
      sweep?.stop();
      await app.close();
      await worker.close();
      await measured.close();
      await kafkaReady.close().catch(() => undefined);
      await operations.close().catch(() => undefined);
      await archive.close();
      await exports.close();
      await producer.close();
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}

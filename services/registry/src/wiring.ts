import {
  erasedPointKeyOf,
  identityCodeHash,
  identityKeyOf,
  type StoredReadingBatch,
} from '@lukema/core';
import {
  auditWritesCounter,
  BullmqExportArchive,
  type Config,
  consumerGroupLag,
  createKafka,
  createMetricsRegistry,
  createQueueRedis,
  createRedis,
  customerStateErasers,
  exportFolder,
  InfluxClientAdapter,
  IoredisDirtyHours,
  IoredisErasedPeriods,
  IoredisKeyCache,
  IoredisParkingStore,
  IoredisRegisterStateStore,
  IoredisRegistryStore,
  IoredisRevisionGate,
  IoredisSeriesHistory,
  IoredisWindowDigests,
  influxCheck,
  KafkaAuditLog,
  KafkajsBatchConsumer,
  KafkajsProducer,
  KafkajsSnapshotReader,
  KafkajsTopicAdmin,
  kafkaCheck,
  keepMsOf,
  type Logger,
  meteredAuditLog,
  RollupMarkingSeriesStore,
  readInfluxToken,
  readKeyring,
  redisCheck,
  redisConnection,
  redisKeys,
  retentionRules,
} from '@lukema/platform';
import { MeterMessageCodec } from '@lukema/schemas';
import { CustomerKeyStore } from './customer-key-store.js';
import { createEraser } from './erasure.js';
import { reattachContract } from './reattach.js';
import { createRegistryAudit } from './registry-audit.js';
import { registryMetrics } from './registry-metrics.js';
import { createRegistryService } from './registry-service.js';

/** Builds the registry service on the real adapters from config (main, tests, bench). */
export function createRegistry(
  config: Config,
  logger: Logger,
  options: {
    /** Called when the consumer crashed and its restarts are used up (main exits non-zero). */
    readonly onFatal?: (error: Error) => void;
    /** Tests: wraps the re-attachment of a rectification (to make it fail, say). */
    readonly wrapReattach?: (reattach: typeof reattachContract) => typeof reattachContract;
  } = {},
) {
  const kafka = createKafka({ ...config.kafka, logger });
  const redis = createRedis(redisConnection(config));
  // BullMQ (the export archive) wants a connection that waits for Redis.
  const queueRedis = createQueueRedis(redisConnection(config));
  const names = redisKeys(config.registry.redisPrefix);
  const topics = config.kafka.topics;
  const bucket = config.influx.buckets.readings;
  const producer = new KafkajsProducer(kafka);
  const admin = new KafkajsTopicAdmin(kafka);
  const snapshots = new KafkajsSnapshotReader(kafka);
  const keyring = readKeyring(config);
  const identityKey = identityKeyOf(keyring);
  const store = new IoredisRegistryStore(redis, names.registry);
  const parking = new IoredisParkingStore(redis, names.parked);
  const codec = new MeterMessageCodec();
  // The registry's own audit chain: the rectifications and erasures it carries out.
  const audit = new KafkaAuditLog({ producer, snapshots, topic: `${topics.audit}.registry` });
  const metrics = createMetricsRegistry();
  const records = createRegistryAudit({
    audit: meteredAuditLog(audit, auditWritesCounter(metrics), 'registry'),
    owners: store,
    logger,
  });
  // Rectification's moves and deletes mark their hours for the rollups; erasure also deletes
  // the pseudonym's rollups (with the rollup role's token, which may write there).
  const influx = new RollupMarkingSeriesStore(
    new InfluxClientAdapter({
      url: config.influx.url,
      org: config.influx.org,
      token: readInfluxToken(config, 'registry'),
    }),
    new IoredisDirtyHours(redis, names.rollupDirtyHours),
    config.influx.buckets.rollups,
    new InfluxClientAdapter({
      url: config.influx.url,
      org: config.influx.org,
      token: readInfluxToken(config, 'rollup'),
    }),
  );
  const keys = new CustomerKeyStore({
    keyring,
    topic: topics.customerKeys,
    producer,
    snapshots,
    cache: new IoredisKeyCache(redis, names.customerKeys),
    logger,
  });
  const park = (meteringPointId: string, batch: StoredReadingBatch) =>
    parking.park([{ meteringPointId, message: codec.encodeStored(batch) }]);
  const exports = new BullmqExportArchive({
    connection: queueRedis,
    queueName: names.exportQueue,
    directory: exportFolder(config.api.exportDir, names.exportQueue),
    cancelPrefix: names.exportCancels,
  });
  const erase = createEraser({
    store,
    keys,
    influx,
    bucket,
    parking,
    // Kept while a reading of the period can still come: a dead letter waits this long for
    // its replay (a head-end's late values come within days).
    erased: new IoredisErasedPeriods(
      redis,
      names.erasedPeriods,
      keepMsOf(retentionRules(), 'dead-letters'),
      erasedPointKeyOf(keyring),
    ),
    codec: {
      decode: (bytes) => codec.decode(bytes),
      encode: (m) => codec.encode(m),
    },
    windows: [
      new IoredisWindowDigests(redis, names.windowDigests),
      new IoredisRevisionGate(redis, names.windowRevisions),
    ],
    pointState: [
      new IoredisSeriesHistory(redis, names.seriesHistory),
      new IoredisRegisterStateStore(redis, names.registerLast),
    ],
    exports,
    customerState: customerStateErasers(redis, names),
    producer,
    contractsTopic: topics.contracts,
    objectionsTopic: topics.objections,
    recordErasure: records.recordErasure,
    logger,
  });

  const service = createRegistryService({
    consumer: new KafkajsBatchConsumer(kafka, {
      group: config.registry.group,
      topics: [topics.contracts, topics.objections, topics.erasures, topics.corrections],
      partitionsConcurrently: 1,
      fromBeginning: true,
      logger,
      restart: { maxRestarts: config.kafka.consumerMaxRestarts },
      ...(options.onFatal ? { onFatal: options.onFatal } : {}),
    }),
    store,
    keys,
    parking,
    producer,
    readingsTopic: topics.readings,
    deadLetterTopic: topics.contractsDeadLetter,
    objectionsTopic: topics.objections,
    erasuresTopic: topics.erasures,
    correctionsTopic: topics.corrections,
    logger,
    identityHash: (code) => identityCodeHash(identityKey, code),
    reattach: (previous, next) => {
      const reattach = options.wrapReattach?.(reattachContract) ?? reattachContract;
      return reattach(previous, next, { influx, registry: store, bucket, park });
    },
    recordRectification: records.recordRectification,
    recordObjection: records.recordObjection,
    recordReadingCorrection: records.recordReadingCorrection,
    erase,
  });
  registryMetrics(metrics, () => service.stats);
  // The pipeline's lag as Kafka records it: visible (and rising) while every worker is down.
  consumerGroupLag(metrics, admin, [
    { group: config.ingest.group, topic: topics.readings },
    { group: config.registry.group, topic: topics.contracts },
  ]);
  const kafkaReady = kafkaCheck(config.kafka.brokers);
  return {
    service,
    /** Prometheus metrics, and the engines `/readyz` asks. */
    metrics,
    checks: [kafkaReady, influxCheck(config.influx.url), redisCheck(redis)],
    store,
    keys,
    parking,
    identityKey,
    audit,
    /** Loads key material, rebuilds the registry from the topics if Redis lost it, then runs. */
    async start() {
      await redis.ping(); // connected before the first write
      const loaded = await keys.load();
      if (!(await store.isBuilt())) {
        logger.info('registry not built in Redis: rebuilding from the topics');
        // Erasures are not replayed: they were carried out already, and a rebuild must not
        // erase a customer who has come back since.
        for (const topic of [topics.contracts, topics.objections]) {
          await admin.resetToEarliest(config.registry.group, topic);
        }
        await store.markBuilt();
      }
      logger.info({ customerKeys: loaded }, 'registry starting');
      await service.start();
    },
    async stop() {
      await service.stop();
      await producer.close();
      await admin.close();
      await kafkaReady.close().catch(() => undefined);
      await exports.close();
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}

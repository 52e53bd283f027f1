import { erasedPointKeyOf } from '@lukema/core';
import {
  type ChunkWriter,
  type Config,
  type ConsumerRestartPolicy,
  createKafka,
  createMetricsRegistry,
  createRedis,
  type DirtyHoursLedger,
  InfluxClientAdapter,
  IoredisDirtyHours,
  IoredisErasedPeriods,
  IoredisKeyLedger,
  IoredisParkingStore,
  IoredisRegisterStateStore,
  IoredisRegistryStore,
  IoredisRevisionGate,
  IoredisWindowDigests,
  influxCheck,
  KafkajsBatchConsumer,
  KafkajsProducer,
  kafkaCheck,
  keepMsOf,
  type Logger,
  RollupMarkingChunkWriter,
  readInfluxToken,
  readKeyring,
  redisCheck,
  redisConnection,
  redisKeys,
  releaseParked,
  retentionRules,
} from '@lukema/platform';
import { correctionEventValue, MeterMessageCodec } from '@lukema/schemas';
import { ingestMetrics } from './ingest-metrics.js';
import { createIngestWorker, type IngestStats } from './ingest-worker.js';
import { MeterReadingMapper } from './meter-reading-mapper.js';

export interface IngestOverrides {
  readonly group?: string;
  /** Lets tests put a probe in front of the real InfluxDB writer. */
  readonly wrapWriter?: (real: ChunkWriter) => ChunkWriter;
  /** Lets tests put a probe in front of the rollups' dirty-hours ledger (a failing mark). */
  readonly wrapLedger?: (real: DirtyHoursLedger) => Pick<DirtyHoursLedger, 'mark'>;
  /** Called when the consumer crashed and its restarts are used up (main exits non-zero). */
  readonly onFatal?: (error: Error) => void;
  /** Restart backoff (tests shorten it). */
  readonly restart?: Partial<ConsumerRestartPolicy>;
}

/** Builds an ingest worker on the real adapters from config (used by main, tests, bench). */
export function createIngestService(
  config: Config,
  logger: Logger,
  overrides: IngestOverrides = {},
) {
  const kafka = createKafka({ ...config.kafka, logger });
  const redis = createRedis(redisConnection(config));
  const names = redisKeys(config.registry.redisPrefix);
  const metricsRegistry = createMetricsRegistry();
  let stats: IngestStats | undefined;
  const metrics = ingestMetrics(metricsRegistry, () => {
    if (!stats) throw new Error('the ingest worker is not built yet');
    return stats;
  });
  const consumer = new KafkajsBatchConsumer(kafka, {
    group: overrides.group ?? config.ingest.group,
    topics: [config.kafka.topics.readings],
    partitionsConcurrently: config.ingest.partitionsConcurrently,
    fetchBytesPerPartition: config.ingest.fetchBytesPerPartition,
    fromBeginning: true,
    logger,
    restart: { maxRestarts: config.kafka.consumerMaxRestarts, ...overrides.restart },
    ...(overrides.onFatal ? { onFatal: overrides.onFatal } : {}),
  });
  const producer = new KafkajsProducer(kafka);
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: readInfluxToken(config, 'ingest'),
    writeGzipLevel: config.influx.writeGzipLevel,
  });
  // Every acknowledged chunk marks its hours for the rollups (late data and corrections too)
  // before it counts as written: a failed mark is a failed write, retried, nothing committed.
  // On a connection of its own, so the marks never queue behind (or ahead of) the window
  // claims and releases the worker's other Redis calls make.
  const markRedis = createRedis(redisConnection(config));
  const ledger = new IoredisDirtyHours(markRedis, names.rollupDirtyHours);
  const marking = new RollupMarkingChunkWriter(
    influx,
    overrides.wrapLedger ? overrides.wrapLedger(ledger) : ledger,
  );
  const writer = metrics.writer(overrides.wrapWriter ? overrides.wrapWriter(marking) : marking);
  const parking = new IoredisParkingStore(redis, names.parked);
  const mapper = new MeterReadingMapper({
    codec: new MeterMessageCodec(),
    registry: new IoredisRegistryStore(redis, names.registry),
    parking,
    erased: new IoredisErasedPeriods(
      redis,
      names.erasedPeriods,
      keepMsOf(retentionRules(), 'dead-letters'),
      erasedPointKeyOf(readKeyring(config)),
    ),
    // v2 (in the name): digests of the values as doubles; a v1 digest would read as a correction.
    digests: new IoredisWindowDigests(redis, names.windowDigests),
    revisions: new IoredisRevisionGate(redis, names.windowRevisions),
    reportCorrections: (corrections) =>
      producer.send(
        config.kafka.topics.corrections,
        corrections.map((c) => ({ key: c.pseudonym, value: correctionEventValue(c) })),
      ),
    release: (id) => releaseParked(parking, producer, config.kafka.topics.readings, id),
    registerStates: new IoredisRegisterStateStore(redis, names.registerLast),
    retentionMs: keepMsOf(retentionRules(), 'raw-readings'),
    futureHorizonMs: config.ingest.futureHorizonMs,
    chunkLines: config.influx.batchLines,
  });
  const worker = createIngestWorker({
    consumer: metrics.consumer(consumer),
    producer: metrics.producer(producer, config.kafka.topics.deadLetter),
    writer,
    mapper,
    logger,
    bucket: config.influx.buckets.readings,
    deadLetterTopic: config.kafka.topics.deadLetter,
    maxInFlight: config.influx.maxInFlight,
    // A batch is read again within the readings topic's retention (7 days): keep 8.
    deadLettersWritten: new IoredisKeyLedger(
      redis,
      names.deadLettersWritten(config.kafka.topics.deadLetter),
      8 * 86_400_000,
    ),
  });
  stats = worker.stats;
  const kafkaReady = kafkaCheck(config.kafka.brokers);
  return {
    worker,
    consumer,
    /** Prometheus metrics, and the engines `/readyz` asks. */
    metrics: metricsRegistry,
    checks: [kafkaReady, influxCheck(config.influx.url), redisCheck(redis)],
    async stop() {
      await worker.stop();
      await producer.close();
      await kafkaReady.close().catch(() => undefined);
      redis.disconnect();
      markRedis.disconnect();
    },
  };
}

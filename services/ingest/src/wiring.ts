import {
  type ChunkWriter,
  type Config,
  type ConsumerRestartPolicy,
  createKafka,
  createRedis,
  InfluxClientAdapter,
  IoredisParkingStore,
  IoredisRegisterStateStore,
  IoredisRegistryStore,
  IoredisSeriesHistory,
  IoredisWindowDigests,
  KafkajsBatchConsumer,
  KafkajsProducer,
  type Logger,
  readInfluxToken,
  releaseParked,
} from '@lukema/platform';
import { MeterMessageCodec } from '@lukema/schemas';
import { createIngestWorker } from './ingest-worker.js';
import { MeterReadingMapper } from './meter-reading-mapper.js';
import { SeriesHistoryCache } from './series-history-cache.js';

export interface IngestOverrides {
  readonly group?: string;
  /** Lets tests put a probe in front of the real InfluxDB writer. */
  readonly wrapWriter?: (real: ChunkWriter) => ChunkWriter;
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
  const redis = createRedis(config.redis.url);
  const prefix = config.registry.redisPrefix;
  const consumer = new KafkajsBatchConsumer(kafka, {
    group: overrides.group ?? config.ingest.group,
    topics: [config.kafka.topics.readings],
    partitionsConcurrently: config.ingest.partitionsConcurrently,
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
  });
  const writer = overrides.wrapWriter ? overrides.wrapWriter(influx) : influx;
  const parking = new IoredisParkingStore(redis, `${prefix}:parked`);
  const mapper = new MeterReadingMapper({
    codec: new MeterMessageCodec(),
    registry: new IoredisRegistryStore(redis, `${prefix}:registry`),
    parking,
    // v2: digests of the values as doubles; a v1 digest (text) would read as a correction.
    digests: new IoredisWindowDigests(redis, `${prefix}:window-digests:v2`),
    reportCorrections: (corrections) =>
      producer.send(
        config.kafka.topics.corrections,
        corrections.map((c) => ({ key: c.pseudonym, value: JSON.stringify(c) })),
      ),
    release: (id) => releaseParked(parking, producer, config.kafka.topics.readings, id),
    registerStates: new IoredisRegisterStateStore(redis, `${prefix}:register:last`),
    history: new SeriesHistoryCache(),
    historyStore: new IoredisSeriesHistory(redis, `${prefix}:series-history`),
    retentionMs: config.influx.readingsRetentionDays * 86_400_000,
    futureHorizonMs: config.ingest.futureHorizonMs,
    chunkLines: config.influx.batchLines,
  });
  const worker = createIngestWorker({
    consumer,
    producer,
    writer,
    mapper,
    logger,
    bucket: config.influx.buckets.readings,
    deadLetterTopic: config.kafka.topics.deadLetter,
    maxInFlight: config.influx.maxInFlight,
  });
  return {
    worker,
    consumer,
    async stop() {
      await worker.stop();
      await producer.close();
      redis.disconnect();
    },
  };
}

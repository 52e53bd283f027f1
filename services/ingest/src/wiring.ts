import {
  type Config,
  createKafka,
  InfluxClientAdapter,
  KafkajsBatchConsumer,
  KafkajsProducer,
  type LineWriter,
  type Logger,
  readInfluxToken,
} from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { createIngestWorker } from './ingest-worker.js';
import { IntervalMapper } from './interval-mapper.js';

/** Builds an ingest worker on the real adapters from config (used by main, tests, bench). */
export interface IngestOverrides {
  readonly group?: string;
  /** Lets tests put a probe in front of the real InfluxDB writer. */
  readonly wrapWriter?: (real: LineWriter) => LineWriter;
}

export function createIngestService(
  config: Config,
  logger: Logger,
  overrides: IngestOverrides = {},
) {
  const kafka = createKafka({ ...config.kafka, logger });
  const consumer = new KafkajsBatchConsumer(kafka, {
    group: overrides.group ?? config.ingest.group,
    topics: [config.kafka.topics.readings],
    partitionsConcurrently: config.ingest.partitionsConcurrently,
    fromBeginning: true,
  });
  const producer = new KafkajsProducer(kafka);
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: readInfluxToken(config, 'ingest'),
  });
  const writer = overrides.wrapWriter ? overrides.wrapWriter(influx) : influx;
  const worker = createIngestWorker({
    consumer,
    producer,
    writer,
    mapper: new IntervalMapper(new IntervalBatchCodec()),
    logger,
    bucket: config.influx.buckets.readings,
    deadLetterTopic: config.kafka.topics.deadLetter,
    batchLines: config.influx.batchLines,
    maxInFlight: config.influx.maxInFlight,
  });
  return {
    worker,
    async stop() {
      await worker.stop();
      await producer.close();
    },
  };
}

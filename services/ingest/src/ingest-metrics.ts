import { LukemaError } from '@lukema/core';
import {
  type BatchConsumer,
  type ChunkWriter,
  counter,
  DLQ_HEADER,
  gauge,
  histogram,
  LATENCY_BUCKETS,
  type MessageProducer,
  type Registry,
  reasonLabel,
  statCounter,
} from '@lukema/platform';
import type { IngestStats } from './ingest-worker.js';

const BATCH_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/**
 * The ingest worker's metrics. The worker keeps its counts in `stats`; the rest is measured
 * at its ports (consumer, writer, producer), which are wrapped here, so the worker itself
 * knows nothing of metrics.
 */
export function ingestMetrics(registry: Registry, stats: () => IngestStats) {
  const stat = (name: string, help: string, read: (s: IngestStats) => number) =>
    statCounter(registry, name, help, () => read(stats()));
  stat(
    'lukema_ingest_messages_consumed_total',
    'Head-end pushes consumed and committed',
    (s) => s.messages,
  );
  stat(
    'lukema_ingest_readings_consumed_total',
    'Readings in the consumed pushes',
    (s) => s.readings,
  );
  stat(
    'lukema_ingest_readings_stored_total',
    'Points InfluxDB acknowledged',
    (s) => s.pointsWritten,
  );
  stat(
    'lukema_ingest_readings_parked_total',
    'Readings parked for want of a contract',
    (s) => s.parked,
  );
  stat(
    'lukema_ingest_readings_superseded_total',
    'Readings left out by the revision rule: a newer revision of their window was written or claimed',
    (s) => s.superseded,
  );
  stat('lukema_ingest_retries_total', 'Retriable failures retried (any engine)', (s) => s.retries);
  stat('lukema_ingest_commits_total', 'Batches committed', (s) => s.commits);
  const deadLettered = counter(
    registry,
    'lukema_ingest_messages_dead_lettered_total',
    'Messages set aside on the dead-letter topic, by the kind of reason',
    ['reason'],
  );
  const lag = gauge(
    registry,
    'lukema_ingest_consumer_lag_messages',
    "Messages behind the partition's end when its last batch was done (from the fetch's high watermark)",
    ['topic', 'partition'],
  );
  const batchSize = histogram(
    registry,
    'lukema_ingest_batch_size_messages',
    'Messages per fetched batch',
    BATCH_BUCKETS,
  );
  const writeSeconds = histogram(
    registry,
    'lukema_ingest_influx_write_duration_seconds',
    'Time InfluxDB took to acknowledge a chunk of points',
    LATENCY_BUCKETS,
  );
  const influxRetries = counter(
    registry,
    'lukema_ingest_influx_retries_total',
    'InfluxDB writes that failed retriably (each is retried)',
  );

  return {
    consumer(inner: BatchConsumer): BatchConsumer {
      return {
        run: (handler) =>
          inner.run(async (batch, control) => {
            batchSize.observe(batch.messages.length);
            await handler(batch, control);
            const last = batch.messages.at(-1);
            if (batch.highWatermark !== undefined && last) {
              const behind = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
              lag.set(
                { topic: batch.topic, partition: String(batch.partition) },
                Math.max(0, behind),
              );
            }
          }),
        stop: () => inner.stop(),
      };
    },
    writer(inner: ChunkWriter): ChunkWriter {
      return {
        async writeChunk(bucket, chunk) {
          const end = writeSeconds.startTimer();
          try {
            const result = await inner.writeChunk(bucket, chunk);
            end();
            return result;
          } catch (error) {
            if (error instanceof LukemaError && error.retriable) influxRetries.inc();
            throw error;
          }
        },
      };
    },
    /** Counts the dead letters the worker sends, by their reason's kind. */
    producer(inner: MessageProducer, deadLetterTopic: string): MessageProducer {
      return {
        async send(topic, messages, options) {
          await inner.send(topic, messages, options);
          if (topic !== deadLetterTopic) return;
          for (const m of messages) {
            deadLettered.inc({ reason: reasonLabel(m.headers?.[DLQ_HEADER.reason] ?? '') });
          }
        },
        close: () => inner.close(),
      };
    },
  };
}

import { instantsText } from '@lukema/core';
import {
  BatchAbandonedError,
  type BatchConsumer,
  type BatchControl,
  type ChunkWriter,
  type ConsumedBatch,
  type ConsumedMessage,
  DLQ_HEADER,
  deadLetterKey,
  deadLetterMessage,
  type KeyLedger,
  type Logger,
  type MessageProducer,
  type OutgoingMessage,
  ProduceRejectedError,
  retryWhileActive,
  type WriteResult,
} from '@lukema/platform';
import { type RefusedLine, writeIsolatingBadLines } from './bad-lines.js';
import type { BatchMapper, MappedBatch, Rejection, SourcedChunk } from './batch-mapper.js';
import { Semaphore } from './semaphore.js';

export interface IngestWorkerOptions {
  readonly consumer: BatchConsumer;
  readonly writer: ChunkWriter;
  readonly producer: MessageProducer;
  readonly mapper: BatchMapper;
  readonly logger: Logger;
  readonly bucket: string;
  readonly deadLetterTopic: string;
  readonly maxInFlight: number;
  /**
   * Dead letters already written (keys from `deadLetterKey`): a batch read again after a
   * crash or a revoke does not write its dead letters a second time.
   */
  readonly deadLettersWritten?: KeyLedger;
}

export interface IngestStats {
  messages: number;
  readings: number;
  pointsWritten: number;
  droppedOutsideRetention: number;
  deadLettered: number;
  parked: number;
  /** Readings the revision rule left out (a newer revision of their window stands). */
  superseded: number;
  retries: number;
  commits: number;
}

/**
 * The ingest loop: for each fetched batch, map messages to points, write them in chunks
 * (bounded in flight), set rejected parts aside in the dead-letter topic, and only then
 * commit the batch's offsets. A retriable failure is retried with backoff while the
 * partition stays ours; nothing is committed ahead of durable data.
 */
export function createIngestWorker(options: IngestWorkerOptions) {
  const log = options.logger.child({ component: 'ingest-worker' });
  const inFlight = new Semaphore(options.maxInFlight);
  const stats: IngestStats = {
    messages: 0,
    readings: 0,
    pointsWritten: 0,
    droppedOutsideRetention: 0,
    deadLettered: 0,
    parked: 0,
    superseded: 0,
    retries: 0,
    commits: 0,
  };

  const retrying = <T>(what: string, control: BatchControl, fn: () => Promise<T>) =>
    retryWhileActive(what, control, log, fn, () => {
      stats.retries++;
    });

  /**
   * A batch's writes: chunks are sent as the mapper produces them, at most `maxInFlight`
   * requests at once across partitions, so InfluxDB works on the first chunks while the rest
   * of the batch is still being mapped.
   */
  function chunkWriter(control: BatchControl) {
    const writes: Promise<void>[] = [];
    /** The latest bound InfluxDB dropped points at (Infinity when it did not state it). */
    let droppedBefore: number | undefined;
    /** Lines InfluxDB refused as a bad request, traced to their messages. */
    const refused: RefusedLine[] = [];
    const account = (r: WriteResult) => {
      stats.pointsWritten += r.written;
      if (r.droppedOutsideRetention > 0) {
        // The mapper dead-letters readings near or past retention before the write;
        // InfluxDB dropping more means its bound passed them (a write retried for long,
        // or a bucket keeping less than configured). A 422 is final: never retried.
        stats.droppedOutsideRetention += r.droppedOutsideRetention;
        const bound = r.retentionBoundMs ?? Number.POSITIVE_INFINITY;
        droppedBefore = Math.max(droppedBefore ?? bound, bound);
        log.warn({ dropped: r.droppedOutsideRetention }, 'points dropped outside retention');
      }
    };
    return {
      add(chunk: SourcedChunk) {
        // A 400 for a chunk is narrowed down to its bad lines; the rest is stored.
        const write = writeIsolatingBadLines(chunk, (part) =>
          retrying('influx write', control, () =>
            inFlight.use(() => options.writer.writeChunk(options.bucket, part)),
          ),
        ).then((r) => {
          for (const result of r.results) account(result);
          refused.push(...r.refused);
        });
        write.catch(() => undefined); // awaited in finish(); not an unhandled rejection meanwhile
        writes.push(write);
      },
      /** Waits for every write: the retention bound if points were dropped, refused lines. */
      async finish(): Promise<{ droppedBefore: number | undefined; refused: Rejection[] }> {
        await Promise.all(writes);
        return { droppedBefore, refused: refusedRejections(refused) };
      },
    };
  }

  /** One dead letter per message with refused lines, naming their intervals. */
  function refusedRejections(refused: readonly RefusedLine[]): Rejection[] {
    const byMessage = new Map<ConsumedMessage, RefusedLine[]>();
    for (const line of refused) {
      const lines = byMessage.get(line.message) ?? [];
      lines.push(line);
      byMessage.set(line.message, lines);
    }
    return [...byMessage].map(([message, lines]) => ({
      message,
      reason: lines[0]?.reason ?? 'InfluxDB refused the reading as a bad request',
      errorType: 'WriteRejected',
      intervals: lines.map((l) => l.startMs),
    }));
  }

  /** The messages that had readings before the bound InfluxDB dropped points at. */
  function refusedByRetention(mapped: MappedBatch, boundMs: number): Rejection[] {
    const reason = Number.isFinite(boundMs)
      ? `outside retention policy: InfluxDB refused readings before ${new Date(boundMs).toISOString()}`
      : 'outside retention policy: InfluxDB refused readings (its reply stated no bound)';
    return (mapped.oldestWritten ?? [])
      .filter((w) => w.startMs < boundMs)
      .map((w) => ({
        message: w.message,
        reason,
        errorType: 'OutsideRetention',
      }));
  }

  /**
   * Sends dead letters gzipped. One the broker refuses for good (larger than the topic takes,
   * even compressed) is sent alone, and if refused again, as its headers with the reason and
   * where the original stays: a message too large to copy must not stop the partition.
   */
  async function sendDeadLetters(messages: readonly OutgoingMessage[]): Promise<void> {
    const topic = options.deadLetterTopic;
    try {
      await options.producer.send(topic, messages, { compress: true });
      return;
    } catch (error) {
      if (!(error instanceof ProduceRejectedError)) throw error;
    }
    for (const message of messages) {
      try {
        await options.producer.send(topic, [message], { compress: true });
      } catch (error) {
        if (!(error instanceof ProduceRejectedError)) throw error;
        await options.producer.send(topic, [withoutValue(message)], { compress: true });
      }
    }
  }

  async function deadLetter(batch: ConsumedBatch, rejections: Rejection[], control: BatchControl) {
    if (rejections.length === 0) return;
    const now = Date.now();
    const infos = rejections.map((r) => ({
      reason: r.reason,
      errorType: r.errorType,
      topic: batch.topic,
      partition: batch.partition,
      offset: r.message.offset,
      deadLetteredAtMs: now,
      ...(r.intervals ? { intervals: instantsText(r.intervals) } : {}),
    }));
    // At least once, keyed by source: only the crash window between the broker's ack and
    // the ledger write can leave a second copy, which the replay recognises by its source.
    const keys = infos.map(deadLetterKey);
    const ledger = options.deadLettersWritten;
    const written = ledger
      ? await retrying('dead-letter ledger', control, () => ledger.recorded(keys))
      : new Set<string>();
    const fresh = rejections.flatMap((r, i) => {
      const info = infos[i];
      return info && !written.has(keys[i] ?? '') ? [{ r, info, key: keys[i] ?? '' }] : [];
    });
    if (fresh.length === 0) return;
    const messages = fresh.map(({ r, info }) => deadLetterMessage(r.message, info));
    await retrying('dead-letter produce', control, () => sendDeadLetters(messages));
    if (ledger) {
      await retrying('dead-letter ledger', control, () => ledger.record(fresh.map((f) => f.key)));
    }
    stats.deadLettered += fresh.length;
    if (fresh.length > 20) {
      // A fetch of mostly rejected messages (a head-end on an unknown schema): one line.
      const reasons = new Map<string, number>();
      for (const { r } of fresh) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
      log.warn(
        {
          partition: batch.partition,
          from: fresh[0]?.r.message.offset,
          to: fresh.at(-1)?.r.message.offset,
          reasons: Object.fromEntries(reasons),
        },
        `${fresh.length} messages dead-lettered`,
      );
      return;
    }
    for (const { r } of fresh) {
      log.warn(
        { partition: batch.partition, offset: r.message.offset, reason: r.reason },
        'message dead-lettered',
      );
    }
  }

  async function handleBatch(batch: ConsumedBatch, control: BatchControl): Promise<void> {
    try {
      await processBatch(batch, control);
    } catch (error) {
      // Giving up a batch commits nothing: the partition's next owner (or this worker after
      // a restart) reads it again from the last commit.
      if (error instanceof BatchAbandonedError) {
        log.info({ partition: batch.partition }, 'batch left uncommitted: stopping or revoked');
        return;
      }
      throw error;
    }
  }

  async function processBatch(batch: ConsumedBatch, control: BatchControl): Promise<void> {
    const chunks = chunkWriter(control);
    const mapped = await retrying('map', control, () =>
      options.mapper.map(batch.messages, (chunk) => chunks.add(chunk), batch),
    );
    for (const chunk of mapped.chunks) chunks.add(chunk);
    const [{ droppedBefore, refused }] = await Promise.all([
      chunks.finish(),
      deadLetter(batch, mapped.rejections, control),
    ]);
    const late = [
      ...refused,
      ...(droppedBefore === undefined ? [] : refusedByRetention(mapped, droppedBefore)),
    ];
    await deadLetter(batch, late, control);
    const beforeCommit = mapped.beforeCommit;
    if (beforeCommit) await retrying('before commit', control, beforeCommit);
    const last = batch.messages.at(-1);
    if (!last) return;
    if (!control.isActive()) throw new BatchAbandonedError();
    await control.commit((BigInt(last.offset) + 1n).toString());
    stats.commits++;
    stats.messages += batch.messages.length;
    stats.readings += mapped.readings;
    stats.parked += mapped.parked ?? 0;
    stats.superseded += mapped.superseded ?? 0;
  }

  return {
    stats,
    start: () => options.consumer.run(handleBatch),
    stop: () => options.consumer.stop(),
  };
}

export type IngestWorker = ReturnType<typeof createIngestWorker>;

/**
 * A dead letter too large for its topic: Lukema's headers only, the reason saying where the
 * original message stays (its source topic keeps it for that topic's retention).
 */
export function withoutValue(message: OutgoingMessage): OutgoingMessage {
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).filter(([name]) => name.startsWith('lukema-dlq-')),
  );
  const source = `${headers[DLQ_HEADER.topic]} partition ${headers[DLQ_HEADER.partition]} offset ${headers[DLQ_HEADER.offset]}`;
  const bytes = message.value?.length ?? 0;
  return {
    key: message.key,
    value: null,
    headers: {
      ...headers,
      [DLQ_HEADER.reason]: `${headers[DLQ_HEADER.reason]} (the message, ${bytes} bytes, is larger than the dead-letter topic takes: it stays on ${source} for that topic's retention)`,
    },
  };
}

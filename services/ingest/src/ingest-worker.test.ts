import { EngineUnavailableError, LineBuffer, type LineChunk } from '@lukema/core';
import {
  type BatchConsumer,
  type BatchHandler,
  type ChunkWriter,
  type ConsumedMessage,
  createLogger,
  DLQ_HEADER,
  type MessageProducer,
  type OutgoingMessage,
  WriteRejectedError,
} from '@lukema/platform';
import { describe, expect, it } from 'vitest';
import type { BatchMapper, MappedBatch, Rejection, SourcedChunk } from './batch-mapper.js';
import { createIngestWorker } from './ingest-worker.js';

const logger = createLogger({ level: 'silent', name: 'test' });

function message(offset: number, value: string): ConsumedMessage {
  return {
    offset: String(offset),
    key: null,
    value: Buffer.from(value),
    headers: {},
    timestampMs: 0,
  };
}

/** The lines of a chunk. */
const linesOf = (chunk: LineChunk) => chunk.body.toString('utf8').trimEnd().split('\n');

/** A writer that acknowledges every chunk, recording `write:<lines>`. */
const acceptingWriter = (events: string[]): ChunkWriter => ({
  async writeChunk(_b, chunk) {
    const lines = linesOf(chunk).length;
    events.push(`write:${lines}`);
    return { written: lines, droppedOutsideRetention: 0 };
  },
});

/**
 * Maps "ok:N" to N lines and "bad" to a rejection; like the real mapper, emits a chunk once
 * it holds 3 lines or more at a message's end, and returns the rest.
 */
const mapperWith = (beforeCommit?: () => Promise<void>): BatchMapper => ({
  async map(messages, emit) {
    const buffer = new LineBuffer();
    let sources: ConsumedMessage[] = [];
    const take = (): SourcedChunk => {
      const chunk = { ...buffer.take(), sources };
      sources = [];
      return chunk;
    };
    const rejections: Rejection[] = [];
    const oldestWritten: Array<{ message: ConsumedMessage; startMs: number }> = [];
    let readings = 0;
    for (const m of messages) {
      const text = m.value?.toString() ?? '';
      if (text === 'bad') {
        rejections.push({ message: m, reason: 'bad input', errorType: 'PoisonMessageError' });
        continue;
      }
      const n = Number(text.split(':')[1]);
      for (let i = 0; i < n; i++) buffer.add(`m,o=${m.offset}`, `v=${i} ${i}`);
      buffer.mark();
      sources.push(m);
      // Readings of message at offset N start at N seconds.
      oldestWritten.push({ message: m, startMs: Number(m.offset) * 1000 });
      readings += n;
      if (emit && buffer.count >= 3) emit(take());
    }
    const out: MappedBatch = {
      chunks: buffer.count > 0 ? [take()] : [],
      rejections,
      oldestWritten,
      readings,
      ...(beforeCommit ? { beforeCommit } : {}),
    };
    return out;
  },
});

function harness(writer: ChunkWriter, events: string[], beforeCommit?: () => Promise<void>) {
  const mapper = mapperWith(beforeCommit);
  let handler: BatchHandler | undefined;
  const consumer: BatchConsumer = {
    async run(h) {
      handler = h;
    },
    async stop() {},
  };
  const sent: OutgoingMessage[] = [];
  const producer: MessageProducer = {
    async send(_topic, messages) {
      events.push(`dlq:${messages.length}`);
      sent.push(...messages);
    },
    async close() {},
  };
  const worker = createIngestWorker({
    consumer,
    producer,
    writer,
    mapper,
    logger,
    bucket: 'b',
    deadLetterTopic: 'dlq',
    maxInFlight: 2,
  });
  const control = {
    active: true,
    heartbeat: async () => {},
    isActive() {
      return this.active;
    },
    commit: async (next: string) => {
      events.push(`commit:${next}`);
    },
  };
  return {
    worker,
    sent,
    control,
    async deliver(messages: ConsumedMessage[]) {
      await worker.start();
      if (!handler) throw new Error('worker did not register a handler');
      await handler({ topic: 'readings', partition: 0, messages }, control);
    },
  };
}

describe('ingest worker', () => {
  it('writes in chunks and commits after every write and dead letter is acknowledged', async () => {
    const events: string[] = [];
    const writer = acceptingWriter(events);
    const h = harness(writer, events);
    await h.deliver([message(10, 'ok:4'), message(11, 'bad'), message(12, 'ok:3')]);
    // Chunks end at a message's end: 4 lines, then 3.
    expect(events.filter((e) => e.startsWith('write'))).toEqual(['write:4', 'write:3']);
    expect(events.at(-1)).toBe('commit:13');
    expect(h.worker.stats).toMatchObject({
      pointsWritten: 7,
      deadLettered: 1,
      messages: 3,
      readings: 7,
    });
    expect(h.sent[0]?.headers?.[DLQ_HEADER.reason]).toBe('bad input');
    expect(h.sent[0]?.headers?.[DLQ_HEADER.offset]).toBe('11');
  });

  it('dead-letters the messages InfluxDB dropped as outside retention, once, and commits', async () => {
    const events: string[] = [];
    const writer: ChunkWriter = {
      async writeChunk(_b, chunk) {
        const lines = linesOf(chunk);
        events.push(`write:${lines.length}`);
        // InfluxDB's bound is 10.5 s: it drops the lines of the message at offset 10.
        const dropped = lines.filter((l) => l.includes('o=10 ')).length;
        return dropped > 0
          ? {
              written: lines.length - dropped,
              droppedOutsideRetention: dropped,
              retentionBoundMs: 10_500,
            }
          : { written: lines.length, droppedOutsideRetention: 0 };
      },
    };
    const h = harness(writer, events);
    await h.deliver([message(10, 'ok:2'), message(12, 'ok:3')]);
    expect(events.filter((e) => e.startsWith('write'))).toEqual(['write:5']);
    expect(events.at(-1)).toBe('commit:13');
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]?.headers?.[DLQ_HEADER.offset]).toBe('10');
    expect(h.sent[0]?.headers?.[DLQ_HEADER.reason]).toBe(
      'outside retention policy: InfluxDB refused readings before 1970-01-01T00:00:10.500Z',
    );
    expect(h.worker.stats).toMatchObject({
      droppedOutsideRetention: 2,
      deadLettered: 1,
      pointsWritten: 3,
    });
  });

  it("runs the mapper's before-commit work after the writes and before the commit", async () => {
    const events: string[] = [];
    const writer = acceptingWriter(events);
    const h = harness(writer, events, async () => {
      events.push('before-commit');
    });
    await h.deliver([message(0, 'ok:2')]);
    expect(events).toEqual(['write:2', 'before-commit', 'commit:1']);
  });

  it('retries a retriable write failure and commits only once it succeeds', async () => {
    const events: string[] = [];
    let failures = 2;
    const writer: ChunkWriter = {
      async writeChunk(_b, chunk) {
        const lines = linesOf(chunk);
        if (failures-- > 0) {
          events.push('write-failed');
          throw new EngineUnavailableError('influxdb');
        }
        events.push(`write:${lines.length}`);
        return { written: lines.length, droppedOutsideRetention: 0 };
      },
    };
    const h = harness(writer, events);
    await h.deliver([message(0, 'ok:2')]);
    expect(events).toEqual(['write-failed', 'write-failed', 'write:2', 'commit:1']);
    expect(h.worker.stats.retries).toBe(2);
  });

  it('leaves a batch uncommitted when the partition is lost during retries', async () => {
    const events: string[] = [];
    const writer: ChunkWriter = {
      async writeChunk() {
        throw new EngineUnavailableError('influxdb');
      },
    };
    const h = harness(writer, events);
    h.control.active = false;
    await h.deliver([message(0, 'ok:1')]);
    expect(events.some((e) => e.startsWith('commit'))).toBe(false);
    expect(h.worker.stats.messages).toBe(0);
  });

  it('does not swallow a non-retriable failure', async () => {
    const writer: ChunkWriter = {
      async writeChunk() {
        throw new Error('boom');
      },
    };
    const h = harness(writer, []);
    await expect(h.deliver([message(0, 'ok:1')])).rejects.toThrow('boom');
  });

  it('narrows a 400 down to the bad lines: stores the rest, dead-letters their messages', async () => {
    const events: string[] = [];
    const stored: string[] = [];
    // InfluxDB refuses a whole request with a line it cannot store (here: o=11's v=1 and
    // o=13's v=0), quoting the line; partial writes of what parsed are not assumed.
    const writer: ChunkWriter = {
      async writeChunk(_b, chunk) {
        const lines = linesOf(chunk);
        events.push(`write:${lines.length}`);
        const bad = lines.find((l) => /o=11 v=1 |o=13 v=0 /.test(l));
        if (bad) {
          throw new WriteRejectedError(
            400,
            JSON.stringify({
              code: 'invalid',
              message: `unable to parse '${bad}': time outside range`,
            }),
          );
        }
        stored.push(...lines);
        return { written: lines.length, droppedOutsideRetention: 0 };
      },
    };
    const h = harness(writer, events);
    await h.deliver([
      message(10, 'ok:2'),
      message(11, 'ok:3'),
      message(12, 'ok:1'),
      message(13, 'ok:2'),
    ]);
    expect(stored.sort()).toEqual(
      [
        'm,o=10 v=0 0',
        'm,o=10 v=1 1',
        'm,o=11 v=0 0',
        'm,o=11 v=2 2',
        'm,o=12 v=0 0',
        'm,o=13 v=1 1',
      ].sort(),
    );
    expect(h.sent.map((m) => m.headers?.[DLQ_HEADER.offset]).sort()).toEqual(['11', '13']);
    const letter = h.sent.find((m) => m.headers?.[DLQ_HEADER.offset] === '11');
    expect(letter?.headers?.[DLQ_HEADER.reason]).toBe(
      'InfluxDB refused the reading as a bad request: unable to parse the line: time outside range',
    );
    expect(letter?.headers?.[DLQ_HEADER.intervals]).toBe('1970-01-01T00:00:00.001Z');
    expect(events.at(-1)).toBe('commit:14');
    expect(h.worker.stats).toMatchObject({ pointsWritten: 6, deadLettered: 2 });
  });

  it('does not split on other refusals (401): the batch fails uncommitted', async () => {
    const events: string[] = [];
    const writer: ChunkWriter = {
      async writeChunk() {
        events.push('write');
        throw new WriteRejectedError(401, 'unauthorized');
      },
    };
    const h = harness(writer, events);
    await expect(h.deliver([message(0, 'ok:4')])).rejects.toThrow('HTTP 401');
    expect(events).toEqual(['write']);
  });
});

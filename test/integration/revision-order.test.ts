import type { ContractEvent } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { createIngestService } from '@lukema/ingest';
import { IoredisParkingStore } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32Partitioner } from '../support/crc32-partitioner.js';
import { startPipeline } from '../support/pipeline.js';
import { storedReadings } from '../support/stored-readings.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const WINDOW = Date.UTC(2026, 3, 1);
const OLDER = WINDOW + 6 * 3_600_000;
const NEWER = WINDOW + 30 * 3_600_000; // a correction sent a day later
const codec = new IntervalBatchCodec();

function push(meteringPointId: string, sentAtMs: number) {
  const base = sentAtMs === NEWER ? 500 : 100;
  return {
    key: meteringPointId,
    value: codec.encode({
      messageId: `${meteringPointId}-${sentAtMs}`,
      headEndId: 'librdkafka-headend',
      meteringPointId,
      direction: 'consumption',
      resolution: 'PT15M',
      sentAtMs,
      dataStatus: 'preliminary',
      intervals: Array.from({ length: 24 }, (_, i) => ({
        startMs: WINDOW + i * 900_000,
        quantityWh: base + i,
        flags: [],
      })),
    }),
  };
}

const contractOf = (meteringPointId: string, n: number): ContractEvent => ({
  contractId: `K-${n}`,
  customerId: String(700_000 + n),
  siteId: `S-${n}`,
  postalCode: '20100',
  meteringPointIds: [meteringPointId],
  startDate: '2026-01-01',
  endDate: null,
  status: 'active',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('an older revision never overwrites a newer one, whatever the partitioner', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('revisions');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('keeps the newer push when older ones are replayed, sent in parallel or re-released from parking, on other partitions, with two workers', async () => {
    const partitions = stack.config.kafka.partitions;
    const metadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));
    const murmur2 = Partitioners.DefaultPartitioner();
    const crc = crc32Partitioner();
    // Metering points whose pushes a librdkafka head-end puts on another partition than the
    // one Lukema (murmur2, as Java clients) re-queues them to.
    const points: string[] = [];
    for (let i = 500; points.length < 36; i++) {
      const mp = simulatedGsrn(i);
      const message = { key: Buffer.from(mp), value: null };
      const topic = stack.config.kafka.topics.readings;
      if (
        murmur2({ topic, partitionMetadata: metadata, message }) !==
        crc({ topic, partitionMetadata: metadata, message })
      ) {
        points.push(mp);
      }
    }
    const replayed = points.slice(0, 12);
    const parallel = points.slice(12, 24);
    const released = points.slice(24);
    const headEnd = stack.kafka.producer({ createPartitioner: crc32Partitioner });
    await headEnd.connect();
    const fromHeadEnd = (mps: string[], sentAtMs: number) =>
      headEnd.send({
        topic: stack.config.kafka.topics.readings,
        acks: -1,
        messages: mps.map((mp) => push(mp, sentAtMs)),
      });
    // What Lukema itself sends back to the readings topic (replays, released parked ones).
    const fromLukema = (mps: string[], sentAtMs: number) =>
      stack.producer.send(
        stack.config.kafka.topics.readings,
        mps.map((mp) => push(mp, sentAtMs)),
      );
    const settled = () =>
      waitFor('readings committed', async () => (await stack.lag()) === 0, { timeoutMs: 90_000 });

    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([...replayed, ...parallel].map((mp, n) => contractOf(mp, n))),
    );
    const pipeline = await startPipeline(stack);
    const second = createIngestService(stack.config, stack.logger);
    void second.worker.start();
    try {
      await stack.contractsApplied();
      // Not yet assigned: their older pushes are parked.
      await fromHeadEnd(released, OLDER);
      // A correction, then the older push replayed after it (as a dead-letter replay would).
      await fromHeadEnd(replayed, NEWER);
      await settled();
      await fromLukema(replayed, OLDER);
      // Older and newer at once, on different partitions, two workers.
      await Promise.all([fromLukema(parallel, OLDER), fromHeadEnd(parallel, NEWER)]);
      // The assignment arrives (the registry re-queues the parked older pushes) while the
      // head-end sends its correction.
      await Promise.all([
        stack.producer.send(
          stack.config.kafka.topics.contracts,
          contractMessages(released.map((mp, n) => contractOf(mp, 100 + n))),
        ),
        fromHeadEnd(released, NEWER),
      ]);
      await stack.contractsApplied();
      const parking = new IoredisParkingStore(
        stack.redis,
        `${stack.config.registry.redisPrefix}:parked`,
      );
      await waitFor('parked pushes released', async () => {
        const parked = await Promise.all(released.map((mp) => parking.peek(mp)));
        return parked.every((p) => p.length === 0);
      });
      await settled();

      // Each reading's revision as rectification recovers it (from the revision records).
      const rows = (await storedReadings(stack)).map((r) => ({ ...r, kwh: r.kwh ?? 0 }));
      const owner = new Map<string, string>();
      for (const [n, mp] of [...replayed, ...parallel].entries()) {
        const c = await stack.registryContract(`K-${n}`);
        owner.set(c?.pseudonyms[mp] ?? '', mp);
      }
      for (const [n, mp] of released.entries()) {
        const c = await stack.registryContract(`K-${100 + n}`);
        owner.set(c?.pseudonyms[mp] ?? '', mp);
      }
      const newer = rows.filter((r) => Number(r.rev) === NEWER && r.kwh >= 0.5).length;
      const older = rows.filter((r) => Number(r.rev) === OLDER || r.kwh < 0.5).length;
      const group = (mps: string[]) => {
        const set = new Set(mps);
        const mine = rows.filter((r) => set.has(owner.get(r.pseudonym) ?? ''));
        return `${mine.filter((r) => Number(r.rev) === NEWER).length}/${mine.length}`;
      };
      console.log(
        `stored points holding the newer revision: ${newer} of ${rows.length} (older: ${older}); replayed older ${group(replayed)}, parallel ${group(parallel)}, re-released ${group(released)}`,
      );
      expect(rows).toHaveLength(points.length * 24);
      expect(older).toBe(0);
      expect(newer).toBe(points.length * 24);
    } finally {
      await headEnd.disconnect();
      await second.stop();
      await pipeline.stop();
    }
  });
});

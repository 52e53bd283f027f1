import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { DLQ_HEADER } from '@lukema/ingest';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumptionPush, openContract } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { readAll, storedPoints } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new IntervalBatchCodec();
const QUARTER = 900_000;
const DAY = 86_400_000;

const HOUR = 3_600_000;

// The worker is configured with the usual retention (years) but the bucket keeps 1-2 hours,
// so InfluxDB itself refuses some points at write time (HTTP 422, partial write) — the case
// of a bucket keeping less than configured, or of a write retried past the bound.
// InfluxDB refuses a point only when it is older than the bound *and* no shard group (an
// hour, for such a bucket) already holds its time: so the bound is set 7.5 minutes before
// an hour boundary H, the refused readings lie in the hour before H, the stored ones after.
const now = Date.now();
const aligned = now - (now % QUARTER);
const boundaryHour = now - 52.5 * 60_000 - ((now - 52.5 * 60_000) % HOUR);
const bucketRetentionMs = now - (boundaryHour - QUARTER / 2);

const recentMp = simulatedGsrn(301);
const mixedMp = simulatedGsrn(302);
const ancientMp = simulatedGsrn(303);

const batch = (mp: string, firstStartMs: number, count: number) =>
  consumptionPush(
    mp,
    firstStartMs,
    Array.from({ length: count }, (_, i) => 200 + i),
  );
const contract = (mp: string) => openContract(mp, '900301', '2015-01-01');

describe('readings outside retention', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack(
      'retention',
      {},
      { bucketRetentionSeconds: Math.ceil(bucketRetentionMs / 1000) },
    );
  });
  afterAll(async () => {
    await stack.close();
  });

  it('dead-letters what InfluxDB or the configured retention refuses, stores the rest, and never retries a 422', async () => {
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([recentMp, mixedMp, ancientMp].map(contract)),
    );
    const pipeline = await startPipeline(stack);
    try {
      await stack.contractsApplied();
      const ancientStart = aligned - 7 * 366 * DAY; // beyond the configured 6 years
      await stack.producer.send(stack.config.kafka.topics.readings, [
        // 3 recent quarters: all stored.
        { key: recentMp, value: codec.encode(batch(recentMp, aligned - 3 * QUARTER, 3)) },
        // 6 quarters, the first 2 older than the bucket keeps: 4 stored, 2 refused by InfluxDB.
        { key: mixedMp, value: codec.encode(batch(mixedMp, boundaryHour - 2 * QUARTER, 6)) },
        // Older than the configured retention: the worker refuses it before writing.
        { key: ancientMp, value: codec.encode(batch(ancientMp, ancientStart, 4)) },
      ]);
      await waitFor('readings committed', async () => (await stack.lag()) === 0);

      const stored = await storedPoints(stack);
      const times = stored.map((p) => p.timeMs).sort((a, b) => a - b);
      const expected = [
        ...[3, 2, 1].map((k) => aligned - k * QUARTER),
        ...[0, 1, 2, 3].map((k) => boundaryHour + k * QUARTER),
      ].sort((a, b) => a - b);
      expect(times).toEqual(expected);

      const dead = await readAll(stack, stack.config.kafka.topics.deadLetter, 2);
      const byKey = new Map(dead.map((m) => [m.key?.toString(), m.headers]));
      expect(byKey.size).toBe(2);
      expect(byKey.get(mixedMp)?.[DLQ_HEADER.reason]).toMatch(
        /^outside retention policy: InfluxDB refused readings before \d{4}-\d\d-\d\dT/,
      );
      expect(byKey.get(ancientMp)?.[DLQ_HEADER.reason]).toBe(
        'outside retention policy: older than the bucket keeps (or about to be)',
      );
      // The four quarter-hours as one run.
      expect(byKey.get(ancientMp)?.[DLQ_HEADER.intervals]).toBe(
        `${new Date(ancientStart).toISOString()}..${new Date(ancientStart + 3 * 900_000).toISOString()} every 15 min (4)`,
      );

      const stats = pipeline.ingest.worker.stats;
      expect(stats.droppedOutsideRetention).toBe(2);
      expect(stats.retries).toBe(0);
      console.log(
        `[retention] ${stored.length} points stored, ${stats.droppedOutsideRetention} refused by InfluxDB (422) and dead-lettered, 1 message refused before the write`,
      );
    } finally {
      await pipeline.stop();
    }
  });
});

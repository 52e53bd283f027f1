import type { IntervalBatch } from '@lukema/core';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { DLQ_HEADER, readDeadLetterInfo } from '@lukema/ingest';
import { IntervalBatchCodec, loadSchema, SingleObjectCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline } from '../support/pipeline.js';
import { replayOn } from '../support/replay.js';
import { readAll, storedPoints, topicCount } from '../support/store-queries.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const WINDOW = Date.UTC(2026, 3, 1);
const mp = simulatedGsrn(77);

function v1Record(meteringPointId: string) {
  return {
    messageId: 'v1-msg',
    headEndId: 'old-headend',
    meteringPointId,
    direction: 'CONSUMPTION',
    resolution: 'PT15M',
    sentAt: WINDOW + 6 * 3_600_000,
    intervals: Array.from({ length: 24 }, (_, i) => ({
      start: WINDOW + i * 900_000,
      quantityWh: 500 + i,
      flags: [],
    })),
  };
}

describe('dead letters and schema evolution', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('dlq');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('keeps bad messages aside with the reason, reads the old schema, and replays after a fix', async () => {
    const v1 = new SingleObjectCodec(['interval-reading-batch.v1.avsc'].map(loadSchema));
    const current = new IntervalBatchCodec();
    const badPoint = `${mp.slice(0, 17)}${(Number(mp[17]) + 1) % 10}`;
    const good: IntervalBatch = {
      ...current.decode(v1.encodeAs(loadSchema('interval-reading-batch.v1.avsc'), v1Record(mp))),
    };
    expect(good.dataStatus).toBe('preliminary'); // filled in from the v2 reader's default
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([
        {
          contractId: 'K-77',
          customerId: '424200',
          siteId: 'S',
          postalCode: '20100',
          meteringPointIds: [mp],
          startDate: '2026-01-01',
          endDate: null,
          status: 'active',
          updatedAt: '2026-01-01T00:00:00Z',
        },
      ]),
    );
    const pipeline = await startPipeline(stack);
    try {
      await stack.contractsApplied();
      // Same key: one partition. The bad ones come first and must not block the good one.
      await stack.producer.send(stack.config.kafka.topics.readings, [
        { key: mp, value: Buffer.from('{"not":"avro"}') },
        {
          key: mp,
          value: v1.encodeAs(loadSchema('interval-reading-batch.v1.avsc'), v1Record(badPoint)),
        },
        { key: mp, value: v1.encodeAs(loadSchema('interval-reading-batch.v1.avsc'), v1Record(mp)) },
      ]);
      await waitFor('readings committed', async () => (await stack.lag()) === 0);
      expect((await storedPoints(stack)).length).toBe(24); // written by a v1 producer, stored

      const dead = await readAll(stack, stack.config.kafka.topics.deadLetter, 2);
      const infos = dead.map((m) => readDeadLetterInfo(m.headers));
      expect(infos.map((i) => i?.reason).sort()).toEqual([
        'not Avro single-object encoded (missing C3 01 marker)',
        'unattributable: metering point ID has a wrong check digit',
      ]);
      expect(infos.every((i) => i?.topic === stack.config.kafka.topics.readings)).toBe(true);
      expect(
        dead.find((m) => m.headers[DLQ_HEADER.reason]?.includes('marker'))?.value?.toString(),
      ).toBe('{"not":"avro"}');

      // Replay only one reason; it is dead-lettered again (the "fix" did not cover it), proving
      // the replay path runs it through the pipeline once more.
      const report = await replayOn(stack, 'check digit');
      expect(report).toMatchObject({ replayed: 1, alreadyReplayed: 0, skipped: 1 });
      await waitFor(
        'the replayed message dead-lettered again',
        async () => (await topicCount(stack, stack.config.kafka.topics.deadLetter)) === 3,
      );
    } finally {
      await pipeline.stop();
    }
  });
});

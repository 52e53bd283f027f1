import { describe, expect, it } from 'vitest';
import type {
  ConsumedBatch,
  OutgoingMessage,
  PartitionBounds,
  TopicRangeReader,
} from '../kafka/ports.js';
import { createLogger } from '../logger.js';
import type { KeyLedger } from '../redis/ports.js';
import { DLQ_HEADER, deadLetterKey } from './dead-letter.js';
import { replayDeadLetters } from './dead-letter-replay.js';

const letter = (offset: number, reason: string, sourceOffset = offset) => ({
  offset: String(offset),
  key: Buffer.from('mp'),
  value: Buffer.from(`v${sourceOffset}`),
  timestampMs: 0,
  headers: {
    [DLQ_HEADER.reason]: reason,
    [DLQ_HEADER.topic]: 'readings',
    [DLQ_HEADER.partition]: '0',
    [DLQ_HEADER.offset]: String(sourceOffset),
  },
});

/** One dead-letter partition in memory, with the replay group's offset. */
function world(letters: ReturnType<typeof letter>[]) {
  const committed = new Map<number, bigint>();
  const sent: OutgoingMessage[] = [];
  const ledger = new Set<string>();
  const reader: TopicRangeReader = {
    bounds: async () =>
      new Map<number, PartitionBounds>([[0, { low: 0n, high: BigInt(letters.length) }]]),
    committed: async () => new Map(committed),
    commit: async (_g, _t, offsets) => {
      for (const [p, o] of offsets) committed.set(p, o);
    },
    read: async (topic, ranges, onBatch) => {
      const range = ranges.get(0);
      if (!range) return;
      const batch: ConsumedBatch = {
        topic,
        partition: 0,
        messages: letters.slice(Number(range.from), Number(range.to)),
      };
      if (batch.messages.length > 0) await onBatch(batch);
    },
    close: async () => undefined,
  };
  const replayed: KeyLedger = {
    recorded: async (keys) => new Set(keys.filter((k) => ledger.has(k))),
    record: async (keys) => {
      for (const k of keys) ledger.add(k);
    },
  };
  const deps = {
    reader,
    replayed,
    producer: {
      send: async (_t: string, m: readonly OutgoingMessage[]) => void sent.push(...m),
      close: async () => undefined,
    },
    logger: createLogger({ level: 'silent', name: 'test' }),
  };
  const run = (reasonContains?: string) =>
    replayDeadLetters(deps, {
      deadLetterTopic: 'dlq',
      targetTopic: 'readings',
      group: 'g',
      ...(reasonContains ? { reasonContains } : {}),
    });
  const runKind = (reasonKind: string) =>
    replayDeadLetters(deps, {
      deadLetterTopic: 'dlq',
      targetTopic: 'readings',
      group: 'g',
      reasonKind,
    });
  return { run, runKind, sent, committed };
}

describe('replayDeadLetters', () => {
  it('never moves the group past a skipped letter, and re-queues each source once', async () => {
    const w = world([letter(0, 'A'), letter(1, 'B'), letter(2, 'A', 0), letter(3, 'B')]);
    expect(await w.run('B')).toMatchObject({ replayed: 2, alreadyReplayed: 0, skipped: 2 });
    expect(w.committed.get(0)).toBeUndefined(); // blocked at offset 0 (an A)
    expect(await w.run('A')).toMatchObject({ replayed: 1, alreadyReplayed: 3, skipped: 0 });
    expect(w.committed.get(0)).toBe(4n);
    expect(w.sent.map((m) => m.value?.toString())).toEqual(['v1', 'v3', 'v0']);
    expect(w.sent.every((m) => m.headers?.[DLQ_HEADER.reason] === undefined)).toBe(true);
    expect(await w.run()).toMatchObject({ replayed: 0, alreadyReplayed: 0, skipped: 0 });
  });
});

describe('replayDeadLetters by reason kind', () => {
  it('takes only letters whose kind (the text before the colon) is the one asked for', async () => {
    const w = world([
      letter(0, 'unattributable: no contract covers 2026-04-01'),
      letter(1, 'not Avro single-object encoded (C3 01 marker missing)'),
      letter(2, 'unattributable: no contract covers 2026-04-02'),
      letter(3, 'unattributable-ish'),
    ]);
    expect(await w.runKind('unattributable')).toMatchObject({
      replayed: 2,
      alreadyReplayed: 0,
      skipped: 2,
    });
    expect(w.sent.map((m) => m.value?.toString())).toEqual(['v0', 'v2']);
    expect(await w.runKind('not avro single-object encoded')).toMatchObject({
      replayed: 1,
      alreadyReplayed: 1,
      skipped: 1,
    });
  });
});

describe('deadLetterKey', () => {
  it('is the same for the same rejection of a source message read again', () => {
    const info = { reason: 'r', errorType: 'E', topic: 't', partition: 1, offset: '5' };
    expect(deadLetterKey({ ...info, deadLetteredAtMs: 1 })).toBe(
      deadLetterKey({ ...info, deadLetteredAtMs: 2 }),
    );
    expect(deadLetterKey({ ...info, deadLetteredAtMs: 1, intervals: 'a' })).not.toBe(
      deadLetterKey({ ...info, deadLetteredAtMs: 1, intervals: 'b' }),
    );
  });
});

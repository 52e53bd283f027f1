import type { ConsumedMessage, TopicRangeReader } from '../kafka/ports.js';
import type { KeyLedger } from '../redis/ports.js';
import { DLQ_HEADER, readDeadLetterInfo } from './dead-letter.js';
import { replaySourceKey } from './dead-letter-replay.js';
import { type DeadLetterKindCount, DeadLetterTally } from './dead-letter-tally.js';

export interface DeadLetterCensus {
  readonly kinds: DeadLetterKindCount[];
  /** True when a partition held more letters than were read (the newest were counted). */
  readonly truncated: boolean;
}

export interface CensusTopic {
  readonly topic: string;
  /** The replay ledger of this topic, when its letters can be replayed. */
  readonly replayed?: KeyLedger;
}

/** When a letter was set aside: its header, else the broker's timestamp. */
function letterTime(m: ConsumedMessage): number {
  const at = readDeadLetterInfo(m.headers)?.deadLetteredAtMs;
  return at !== undefined && Number.isFinite(at) ? at : m.timestampMs;
}

/**
 * Counts the dead letters on each topic by reason kind, reading Kafka directly under no
 * group (nothing is committed, nothing consumed), at most `maxPerPartition` newest letters
 * per partition. Only the reason header is looked at: never a payload or a key.
 * @throws EngineUnavailableError when Kafka or Redis fails.
 */
export async function deadLetterCensus(
  reader: TopicRangeReader,
  topics: readonly CensusTopic[],
  maxPerPartition = 100_000,
): Promise<DeadLetterCensus> {
  const tally = new DeadLetterTally();
  let truncated = false;
  await Promise.all(
    topics.map(async ({ topic, replayed }) => {
      const ranges = new Map<number, { from: bigint; to: bigint }>();
      for (const [partition, b] of await reader.bounds(topic)) {
        const cap = b.high - BigInt(maxPerPartition);
        if (cap > b.low) truncated = true;
        const from = cap > b.low ? cap : b.low;
        if (from < b.high) ranges.set(partition, { from, to: b.high });
      }
      if (ranges.size === 0) return;
      await reader.read(topic, ranges, async (batch) => {
        const keys = batch.messages.map(replaySourceKey);
        const done = replayed
          ? await replayed.recorded(keys.filter((k) => k !== undefined))
          : undefined;
        batch.messages.forEach((m, i) => {
          const key = keys[i];
          const awaiting = done ? key !== undefined && !done.has(key) : undefined;
          tally.add(topic, m.headers[DLQ_HEADER.reason] ?? 'no reason', letterTime(m), awaiting);
        });
      });
    }),
  );
  return { kinds: tally.counts(), truncated };
}

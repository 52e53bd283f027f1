import type { BatchConsumer, Logger, MessageProducer, OutgoingMessage } from '@lukema/platform';
import { DLQ_HEADER, readDeadLetterInfo } from './dead-letter.js';

export interface ReplayOptions {
  readonly consumer: BatchConsumer;
  readonly producer: MessageProducer;
  /** Where dead letters go back to: the readings topic. */
  readonly targetTopic: string;
  /**
   * Per partition, the end offset (exclusive) of the dead letters to replay: those present
   * when the replay started. What the replay itself sends back to the dead letters lies
   * beyond it, so a message that still fails is not replayed in a loop.
   */
  readonly endOffsets: ReadonlyMap<number, bigint>;
  readonly logger: Logger;
  /** Only dead letters whose reason contains this text are replayed (others skipped). */
  readonly reasonContains?: string;
}

/**
 * Replays dead letters after a fix: each original message goes back to the readings topic
 * as it was (dead-letter headers removed), and the replay group's offset is committed only
 * after the broker acknowledged it.
 */
export function createDeadLetterReplay(options: ReplayOptions) {
  const stats = { replayed: 0, skipped: 0 };
  const dlqHeaders = new Set<string>(Object.values(DLQ_HEADER));
  const pending = new Set([...options.endOffsets].filter(([, end]) => end > 0n).map(([p]) => p));
  return {
    stats,
    /** True once every partition's dead letters up to its end offset were handled. */
    isComplete: () => pending.size === 0,
    start: () =>
      options.consumer.run(async (batch, control) => {
        const end = options.endOffsets.get(batch.partition) ?? 0n;
        const out: OutgoingMessage[] = [];
        let next: bigint | undefined;
        for (const m of batch.messages) {
          if (BigInt(m.offset) >= end) break;
          next = BigInt(m.offset) + 1n;
          const info = readDeadLetterInfo(m.headers);
          if (options.reasonContains && !info?.reason.includes(options.reasonContains)) {
            stats.skipped++;
            continue;
          }
          const headers = Object.fromEntries(
            Object.entries(m.headers).filter(([k]) => !dlqHeaders.has(k)),
          );
          out.push({
            key: m.key,
            value: m.value,
            headers: { ...headers, 'lukema-replayed-from': `${batch.partition}:${m.offset}` },
          });
        }
        await options.producer.send(options.targetTopic, out);
        stats.replayed += out.length;
        if (next !== undefined) await control.commit(next.toString());
        if (next === undefined || next >= end) pending.delete(batch.partition);
        options.logger.info(
          { partition: batch.partition, replayed: out.length },
          'dead letters replayed',
        );
      }),
    stop: () => options.consumer.stop(),
  };
}

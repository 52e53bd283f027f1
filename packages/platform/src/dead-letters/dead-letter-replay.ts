import type {
  ConsumedMessage,
  MessageProducer,
  OutgoingMessage,
  TopicRangeReader,
} from '../kafka/ports.js';
import type { Logger } from '../logger.js';
import { reasonLabel } from '../observability/reason-label.js';
import type { KeyLedger } from '../redis/ports.js';
import { DLQ_HEADER, readDeadLetterInfo } from './dead-letter.js';

export interface DeadLetterReplayDeps {
  readonly reader: TopicRangeReader;
  readonly producer: MessageProducer;
  /** Source messages already re-queued by a replay (keys from `replaySourceKey`). */
  readonly replayed: KeyLedger;
  readonly logger: Logger;
}

export interface DeadLetterReplayOptions {
  readonly deadLetterTopic: string;
  /** Where dead letters go back to: the readings topic. */
  readonly targetTopic: string;
  /** The group whose offsets keep how far every earlier replay got (all letters handled). */
  readonly group: string;
  /** Only dead letters whose reason contains this text are replayed; the others stay. */
  readonly reasonContains?: string;
  /**
   * Only dead letters of this reason kind (`reasonLabel`: the text before the first colon,
   * as the metrics and the console show it) are replayed; the others stay.
   */
  readonly reasonKind?: string;
}

/** What a replay did. */
export interface ReplayReport {
  /** Source messages re-queued to the readings topic. */
  replayed: number;
  /** Dead letters whose source message a replay had already re-queued (left out). */
  alreadyReplayed: number;
  /** Dead letters with another reason (or no dead-letter headers): left for a later replay. */
  skipped: number;
  /** Per partition, the offsets read: from the group's progress to the end seen at start. */
  readonly ranges: Record<number, { from: string; to: string }>;
}

/** A source message's identity: where it was read when it was set aside. */
export function replaySourceKey(message: ConsumedMessage): string | undefined {
  const info = readDeadLetterInfo(message.headers);
  if (!info || info.topic === '' || info.offset === '') return undefined;
  return `${info.topic}/${info.partition}/${info.offset}`;
}

/** Dead letters are kept 90 days (provisioning): remember replayed sources as long. */
export const REPLAYED_KEEP_MS = 90 * 86_400_000;

/** Produce requests stay well below the broker's 1 MB request limit. */
const MAX_REQUEST_BYTES = 512 * 1024;

const dlqHeaders = new Set<string>(Object.values(DLQ_HEADER));

function requeued(m: ConsumedMessage, partition: number): OutgoingMessage {
  const headers = Object.fromEntries(Object.entries(m.headers).filter(([k]) => !dlqHeaders.has(k)));
  return {
    key: m.key,
    value: m.value,
    headers: { ...headers, 'lukema-replayed-from': `${partition}:${m.offset}` },
  };
}

/**
 * Re-queues dead letters after a fix, once: reads the dead-letter topic from where earlier
 * replays got (their group's offsets) to the end offsets it finds when it starts, so what it
 * sends back to the dead letters itself is not replayed in a loop. Each source message is
 * re-queued at most once across replays (a ledger keyed by its source topic/partition/
 * offset, recorded after the broker acknowledged it), so a dead letter written twice is
 * replayed once. Letters with another reason are not consumed: the group's offset advances
 * only over letters replayed (or replayed before), never past a skipped one.
 * @throws EngineUnavailableError when Kafka or Redis fails (nothing is lost: run it again).
 */
export async function replayDeadLetters(
  deps: DeadLetterReplayDeps,
  options: DeadLetterReplayOptions,
): Promise<ReplayReport> {
  const log = deps.logger.child({ component: 'dlq-replay' });
  const wanted = (reason: string | undefined) =>
    (!options.reasonContains || reason?.includes(options.reasonContains) === true) &&
    (!options.reasonKind || (reason !== undefined && reasonLabel(reason) === options.reasonKind));
  // The end first: letters written while the replay runs are the next replay's business.
  const bounds = await deps.reader.bounds(options.deadLetterTopic);
  const committed = await deps.reader.committed(options.group, options.deadLetterTopic);
  const ranges = new Map<number, { from: bigint; to: bigint }>();
  for (const [partition, b] of bounds) {
    const from = committed.get(partition) ?? b.low;
    ranges.set(partition, { from, to: b.high });
  }
  const report: ReplayReport = {
    replayed: 0,
    alreadyReplayed: 0,
    skipped: 0,
    ranges: Object.fromEntries(
      [...ranges].map(([p, r]) => [p, { from: r.from.toString(), to: r.to.toString() }]),
    ),
  };
  /** Per partition: the offset up to which every letter is done, or blocked at a skip. */
  const progress = new Map<number, { next: bigint; blocked: boolean }>();
  const seen = new Set<string>();
  await deps.reader.read(options.deadLetterTopic, ranges, async (batch) => {
    const keys = batch.messages.map(replaySourceKey);
    const before = await deps.replayed.recorded(keys.filter((k) => k !== undefined));
    const state = progress.get(batch.partition) ?? {
      next: ranges.get(batch.partition)?.from ?? 0n,
      blocked: false,
    };
    const done = (m: ConsumedMessage) => {
      if (!state.blocked) state.next = BigInt(m.offset) + 1n;
    };
    const out: Array<{ key: string; message: OutgoingMessage; bytes: number }> = [];
    batch.messages.forEach((m, i) => {
      const key = keys[i];
      if (key !== undefined && (before.has(key) || seen.has(key))) {
        report.alreadyReplayed++;
        done(m);
        return;
      }
      const reason = readDeadLetterInfo(m.headers)?.reason;
      if (key === undefined || !wanted(reason)) {
        report.skipped++;
        state.blocked = true;
        return;
      }
      seen.add(key);
      out.push({
        key,
        message: requeued(m, batch.partition),
        bytes: (m.value?.length ?? 0) + (m.key?.length ?? 0) + 512,
      });
      done(m);
    });
    for (let start = 0; start < out.length; ) {
      let end = start;
      let bytes = 0;
      while (
        end < out.length &&
        (end === start || bytes + (out[end]?.bytes ?? 0) <= MAX_REQUEST_BYTES)
      ) {
        bytes += out[end]?.bytes ?? 0;
        end++;
      }
      const part = out.slice(start, end);
      await deps.producer.send(
        options.targetTopic,
        part.map((o) => o.message),
      );
      await deps.replayed.record(part.map((o) => o.key));
      report.replayed += part.length;
      start = end;
    }
    progress.set(batch.partition, state);
    log.info({ partition: batch.partition, replayed: out.length }, 'dead letters replayed');
  });
  const advanced = new Map<number, bigint>();
  for (const [partition, state] of progress) {
    if (state.next > (ranges.get(partition)?.from ?? 0n)) advanced.set(partition, state.next);
  }
  await deps.reader.commit(options.group, options.deadLetterTopic, advanced);
  return report;
}

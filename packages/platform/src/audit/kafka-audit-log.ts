import {
  type AuditEntry,
  type AuditRecord,
  assertNoDirectIdentifiers,
  chainRecord,
  LukemaError,
} from '@lukema/core';
import type { MessageProducer, TopicSnapshotReader } from '../kafka/ports.js';
import type { AuditLog } from './ports.js';

/** Keys are zero-padded so that key order is seq order in any tool that lists the topic. */
const KEY_DIGITS = 12;

/** The Kafka key of the record with this seq. */
export function auditRecordKey(seq: number): string {
  return String(seq).padStart(KEY_DIGITS, '0');
}

/**
 * The audit trail on a Kafka topic, one message per record keyed by its zero-padded seq.
 * Keying by seq makes a retried append after an unacknowledged send replace, not fork,
 * the record it may already have written.
 *
 * A single writer per topic is assumed: the head is kept in memory, so two instances
 * appending to one topic would both chain onto the same head and overwrite each other's
 * records. Within one instance appends are serialised and get consecutive seq numbers.
 */
export class KafkaAuditLog implements AuditLog {
  private current: AuditRecord | undefined;
  private loaded = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      readonly producer: MessageProducer;
      readonly snapshots: TopicSnapshotReader;
      readonly topic: string;
    },
  ) {}

  /**
   * Reads every record from the topic and takes the last as the head; returns the count.
   * Waits for appends in flight, so the head never moves back past one of them.
   * @throws LukemaError (not retriable) when a stored record is not a JSON object; whatever the
   * snapshot reader throws when the topic cannot be read.
   */
  load(): Promise<number> {
    return this.serialised(async () => {
      const records = await this.read();
      this.current = records.at(-1);
      this.loaded = true;
      return records.length;
    });
  }

  /**
   * Appends an entry once every earlier append has finished; resolves after the broker
   * acknowledges it. Loads the log first if `load()` was not called, so an existing chain
   * is never restarted at seq 1. A failed send leaves the head where it was.
   * @throws AuditPersonalDataError when the entry holds a direct identifier (nothing is
   * sent); whatever the producer throws when the send fails.
   */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    assertNoDirectIdentifiers(entry);
    return this.serialised(async () => {
      if (!this.loaded) {
        this.current = (await this.read()).at(-1);
        this.loaded = true;
      }
      const record = chainRecord(this.current, entry);
      await this.deps.producer.send(this.deps.topic, [
        { key: auditRecordKey(record.seq), value: JSON.stringify(record) },
      ]);
      this.current = record;
      return record;
    });
  }

  /**
   * Every record on the topic, sorted by seq, without verifying the chain (use
   * `verifyChain`). Leaves the head alone: a read racing an append must not move it back.
   * @throws as {@link KafkaAuditLog.load}.
   */
  records(): Promise<AuditRecord[]> {
    return this.read();
  }

  head(): AuditRecord | undefined {
    return this.current;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    // A failed step must not block the ones queued after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<AuditRecord[]> {
    const snapshot = await this.deps.snapshots.snapshot(this.deps.topic);
    const records: AuditRecord[] = [];
    for (const [key, value] of snapshot) {
      // A tombstone means a record was deleted; verifyChain reports the gap it leaves.
      if (value === null) continue;
      records.push(this.parse(key, value));
    }
    return records.sort(bySeq);
  }

  private parse(key: string, value: Buffer): AuditRecord {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch {
      // No cause: a JSON SyntaxError quotes the text, which must not reach a log line.
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) {
      throw new LukemaError('audit record is not a JSON object', {
        retriable: false,
        context: { topic: this.deps.topic, key },
      });
    }
    return parsed as AuditRecord;
  }
}

/** By seq; a record without a numeric seq (tampered) goes last for verifyChain to report. */
function bySeq(a: AuditRecord, b: AuditRecord): number {
  const x = typeof a.seq === 'number' ? a.seq : Number.POSITIVE_INFINITY;
  const y = typeof b.seq === 'number' ? b.seq : Number.POSITIVE_INFINITY;
  return x < y ? -1 : x > y ? 1 : 0;
}

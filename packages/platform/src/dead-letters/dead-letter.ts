import { createHash } from 'node:crypto';
import type { ConsumedMessage, OutgoingMessage } from '../kafka/ports.js';

/** Why and where a message was set aside; travels as headers beside the original bytes. */
export interface DeadLetterInfo {
  readonly reason: string;
  readonly errorType: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly deadLetteredAtMs: number;
  /** For a message partly stored: which intervals (indexes) this dead letter holds. */
  readonly intervals?: string;
}

export const DLQ_HEADER = {
  reason: 'lukema-dlq-reason',
  errorType: 'lukema-dlq-error-type',
  topic: 'lukema-dlq-source-topic',
  partition: 'lukema-dlq-source-partition',
  offset: 'lukema-dlq-source-offset',
  at: 'lukema-dlq-at',
  intervals: 'lukema-dlq-intervals',
} as const;

/**
 * A dead letter's identity: its source message (topic/partition/offset), what kind of
 * rejection, and which intervals. The same message rejected again (read again after a
 * crash) has the same key; another part of it rejected for another reason has another.
 */
export function deadLetterKey(info: DeadLetterInfo): string {
  const part = info.intervals
    ? `/${createHash('sha1').update(info.intervals).digest('base64url').slice(0, 16)}`
    : '';
  return `${info.topic}/${info.partition}/${info.offset}/${info.errorType}${part}`;
}

/** Builds the dead-letter message: the original key, value and headers, plus why. */
export function deadLetterMessage(
  original: ConsumedMessage,
  info: DeadLetterInfo,
): OutgoingMessage {
  return {
    key: original.key,
    value: original.value,
    headers: {
      ...original.headers,
      [DLQ_HEADER.reason]: info.reason,
      [DLQ_HEADER.errorType]: info.errorType,
      [DLQ_HEADER.topic]: info.topic,
      [DLQ_HEADER.partition]: String(info.partition),
      [DLQ_HEADER.offset]: info.offset,
      [DLQ_HEADER.at]: new Date(info.deadLetteredAtMs).toISOString(),
      ...(info.intervals ? { [DLQ_HEADER.intervals]: info.intervals } : {}),
    },
  };
}

/** Reads the dead-letter headers back (the replay command and tests). */
export function readDeadLetterInfo(
  headers: Readonly<Record<string, string>>,
): DeadLetterInfo | null {
  const reason = headers[DLQ_HEADER.reason];
  if (reason === undefined) return null;
  return {
    reason,
    errorType: headers[DLQ_HEADER.errorType] ?? 'unknown',
    topic: headers[DLQ_HEADER.topic] ?? '',
    partition: Number(headers[DLQ_HEADER.partition] ?? -1),
    offset: headers[DLQ_HEADER.offset] ?? '',
    deadLetteredAtMs: Date.parse(headers[DLQ_HEADER.at] ?? ''),
    ...(headers[DLQ_HEADER.intervals] ? { intervals: headers[DLQ_HEADER.intervals] } : {}),
  };
}

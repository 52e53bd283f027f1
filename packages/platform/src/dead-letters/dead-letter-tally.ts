import { reasonLabel } from '../observability/reason-label.js';

/** Dead letters of one reason kind on one dead-letter topic. */
export interface DeadLetterKindCount {
  readonly topic: string;
  /** The reason's kind (`reasonLabel`): fixed words, never a payload or an identifier. */
  readonly kind: string;
  readonly letters: number;
  /** Of them, letters whose source message no replay re-queued yet (where replay applies). */
  readonly awaitingReplay?: number;
  /** When the oldest and newest of them were set aside (ISO 8601). */
  readonly oldestAt?: string;
  readonly newestAt?: string;
}

interface Acc {
  letters: number;
  awaiting: number;
  counted: boolean;
  oldest: number;
  newest: number;
}

/**
 * Counts dead letters per topic and reason kind, with the oldest and newest time; pure, so
 * the census that feeds it (Kafka) and the page that shows it stay simple.
 */
export class DeadLetterTally {
  private readonly byKey = new Map<string, Acc & { topic: string; kind: string }>();

  /** `awaiting`: undefined where replay does not apply to the topic. */
  add(topic: string, reason: string, atMs: number, awaiting?: boolean): void {
    const kind = reasonLabel(reason);
    const key = `${topic}\u0000${kind}`;
    const acc = this.byKey.get(key) ?? {
      topic,
      kind,
      letters: 0,
      awaiting: 0,
      counted: false,
      oldest: Number.POSITIVE_INFINITY,
      newest: Number.NEGATIVE_INFINITY,
    };
    acc.letters++;
    if (awaiting !== undefined) {
      acc.counted = true;
      if (awaiting) acc.awaiting++;
    }
    if (Number.isFinite(atMs)) {
      acc.oldest = Math.min(acc.oldest, atMs);
      acc.newest = Math.max(acc.newest, atMs);
    }
    this.byKey.set(key, acc);
  }

  /** By topic, then most letters first. */
  counts(): DeadLetterKindCount[] {
    const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);
    return [...this.byKey.values()]
      .sort((a, b) => a.topic.localeCompare(b.topic) || b.letters - a.letters)
      .map((a) => {
        const oldestAt = iso(a.oldest);
        const newestAt = iso(a.newest);
        return {
          topic: a.topic,
          kind: a.kind,
          letters: a.letters,
          ...(a.counted ? { awaitingReplay: a.awaiting } : {}),
          ...(oldestAt ? { oldestAt } : {}),
          ...(newestAt ? { newestAt } : {}),
        };
      });
  }
}

import {
  erasedCustomerKeyOf,
  erasedCustomerTag,
  type Keyring,
  newCustomerKey,
  rewrapCustomerKey,
  unwrapCustomerKey,
  type WrappedCustomerKey,
} from '@lukema/core';
import type { KeyCache, Logger, MessageProducer, TopicSnapshotReader } from '@lukema/platform';

/** Keys of the erasure markers on the customer-keys topic: `erased:<keyed hash>`. */
const ERASED_PREFIX = 'erased:';

/**
 * Per-customer key material. The compacted Kafka topic is the system of record (durable,
 * replicated, holding only wrapped keys); Redis and memory are caches. A key is written to
 * the topic and acknowledged before anything is derived from it, so no pseudonym exists
 * whose key could be lost.
 */
export class CustomerKeyStore {
  private readonly records = new Map<string, WrappedCustomerKey>();
  /**
   * Customers whose key material was destroyed, and when (ISO), by the marker's tag (a keyed
   * hash of the customer number); markers of an earlier version were keyed by the number.
   */
  private readonly erased = new Map<string, string>();
  private readonly tagKey: Buffer;
  private readonly unwrapped = new Map<string, Buffer>();

  constructor(
    private readonly deps: {
      readonly keyring: Keyring;
      readonly topic: string;
      readonly producer: MessageProducer;
      readonly snapshots: TopicSnapshotReader;
      readonly cache: KeyCache;
      readonly logger: Logger;
      readonly now?: () => Date;
    },
  ) {
    this.tagKey = erasedCustomerKeyOf(deps.keyring);
  }

  private markerKey(customerId: string): string {
    return `${ERASED_PREFIX}${erasedCustomerTag(this.tagKey, customerId)}`;
  }

  /** Loads every wrapped key from the topic and refreshes the Redis cache. */
  async load(): Promise<number> {
    const snapshot = await this.deps.snapshots.snapshot(this.deps.topic);
    this.records.clear();
    this.erased.clear();
    this.unwrapped.clear();
    for (const [customerId, value] of snapshot) {
      if (customerId.startsWith(ERASED_PREFIX)) {
        if (value !== null) {
          this.erased.set(
            customerId,
            (JSON.parse(value.toString()) as { erasedAt: string }).erasedAt,
          );
        }
        continue;
      }
      if (value === null) {
        await this.deps.cache.delete(customerId);
        continue;
      }
      const stored = JSON.parse(value.toString()) as WrappedCustomerKey | { erasedAt: string };
      if ('erasedAt' in stored) {
        this.erased.set(customerId, stored.erasedAt);
        await this.deps.cache.delete(customerId);
        continue;
      }
      const record = stored;
      this.records.set(customerId, record);
      await this.deps.cache.set(record);
    }
    return this.records.size;
  }

  /** The customer's key, created (and made durable) on first use. */
  async keyFor(customerId: string): Promise<Buffer> {
    const cached = this.unwrapped.get(customerId);
    if (cached) return cached;
    let record = this.records.get(customerId);
    if (!record) {
      // A customer who comes back after erasure gets new, unrelated key material.
      this.erased.delete(customerId);
      this.erased.delete(this.markerKey(customerId));
      record = newCustomerKey(
        this.deps.keyring,
        customerId,
        (this.deps.now?.() ?? new Date()).toISOString(),
      );
      await this.publish(record);
    }
    const key = unwrapCustomerKey(this.deps.keyring, record);
    this.unwrapped.set(customerId, key);
    return key;
  }

  /**
   * When the customer's data was erased (their key destroyed), or undefined. Contract events
   * from before that moment must not bring them back, e.g. when the registry is rebuilt.
   */
  erasedAt(customerId: string): string | undefined {
    return this.erased.get(this.markerKey(customerId)) ?? this.erased.get(customerId);
  }

  /** Whether key material exists for the customer (false after erasure). */
  has(customerId: string): boolean {
    return this.records.has(customerId);
  }

  /** Re-wraps every key under the current master key (after a rotation). */
  async rewrapAll(): Promise<number> {
    let count = 0;
    for (const record of [...this.records.values()]) {
      const rewrapped = rewrapCustomerKey(this.deps.keyring, record);
      if (rewrapped !== record) {
        await this.publish(rewrapped);
        count++;
      }
    }
    return count;
  }

  /**
   * Destroys a customer's key material everywhere it is kept (crypto-shredding): the topic
   * record holding the wrapped key gets a tombstone (compaction then removes the key and the
   * customer number for good), an erasure marker is kept under a keyed hash of the number
   * (`erased:<tag>`: contract events from before the erasure stay skipped when the registry
   * is rebuilt), and memory and the Redis cache forget the key at once.
   */
  async destroy(customerId: string): Promise<void> {
    const erasedAt = (this.deps.now?.() ?? new Date()).toISOString();
    const marker = this.markerKey(customerId);
    await this.deps.producer.send(this.deps.topic, [
      { key: marker, value: JSON.stringify({ erasedAt }) },
      { key: customerId, value: null },
    ]);
    this.records.delete(customerId);
    this.unwrapped.delete(customerId);
    this.erased.delete(customerId);
    this.erased.set(marker, erasedAt);
    await this.deps.cache.delete(customerId);
  }

  private async publish(record: WrappedCustomerKey): Promise<void> {
    await this.deps.producer.send(this.deps.topic, [
      { key: record.customerId, value: JSON.stringify(record) },
    ]);
    this.records.set(record.customerId, record);
    this.unwrapped.delete(record.customerId);
    await this.deps.cache.set(record);
  }
}

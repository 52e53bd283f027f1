import type { SeriesHistory } from '@lukema/core';

/**
 * Recent history per series (metering point + direction) for spike checks, in memory and
 * bounded (least recently used out): the worker's copy of the shared history store, read
 * for series it does not hold yet (after a restart or a rebalance) and written back with
 * each batch.
 */
export class SeriesHistoryCache {
  private readonly entries = new Map<string, SeriesHistory>();

  constructor(private readonly capacity = 250_000) {}

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): SeriesHistory | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: SeriesHistory | undefined): void {
    this.entries.delete(key);
    if (value === undefined) return;
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

import type { SeriesHistory } from '@lukema/core';

/**
 * Recent history per series (metering point + direction) for spike checks, in memory and
 * bounded (least recently used out). Readings of one point come through one partition, so
 * one worker sees its series; after a restart the history warms up again.
 */
export class SeriesHistoryCache {
  private readonly entries = new Map<string, SeriesHistory>();

  constructor(private readonly capacity = 250_000) {}

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

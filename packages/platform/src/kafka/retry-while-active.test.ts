import { LukemaError } from '@lukema/core';
import { KafkaJSProtocolError } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.js';
import { memberGone } from './kafkajs-adapter.js';
import type { BatchControl } from './ports.js';
import { BatchAbandonedError, HEARTBEAT_EVERY_MS, retryWhileActive } from './retry-while-active.js';

const log = createLogger({ level: 'silent', name: 'test' });
const outage = () => new LukemaError('engine down', { retriable: true });
/** A coordinator's refusal as kafkajs throws it (it reads type and code off the error it wraps). */
const protocolError = (type: string, message = type) =>
  new KafkaJSProtocolError(Object.assign(new Error(message), { type, code: 0, retriable: true }));

describe('retryWhileActive', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('heartbeats at least every HEARTBEAT_EVERY_MS while it backs off, well within the session timeout', async () => {
    const beats: number[] = [];
    const control: BatchControl = {
      heartbeat: async () => {
        beats.push(Date.now());
      },
      isActive: () => true,
      commit: async () => undefined,
    };
    const start = Date.now();
    let calls = 0;
    // Twelve failures: the backoff grows to its 15 s cap (7.5-15 s with jitter).
    const done = retryWhileActive('write', control, log, async () => {
      if (++calls <= 12) throw outage();
      return 'stored';
    });
    await vi.advanceTimersByTimeAsync(200_000);
    await expect(done).resolves.toBe('stored');
    const times = [start, ...beats];
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_EVERY_MS);
    // The waits themselves still grew past the session timeout: kept alive, not shortened.
    expect(Date.now() - start).toBeGreaterThan(10_000);
  });

  it('abandons the batch once a heartbeat says the partition is not ours any more', async () => {
    let gone = false;
    const control: BatchControl = {
      heartbeat: async () => {
        gone = true;
        throw protocolError('UNKNOWN_MEMBER_ID', 'The coordinator is not aware of this member');
      },
      isActive: () => !gone,
      commit: async () => undefined,
    };
    let calls = 0;
    const done = retryWhileActive('write', control, log, async () => {
      calls++;
      throw outage();
    });
    const settled = expect(done).rejects.toBeInstanceOf(BatchAbandonedError);
    await vi.advanceTimersByTimeAsync(60_000);
    await settled;
    expect(calls).toBe(1);
  });
});

describe('memberGone', () => {
  it('tells the coordinator answers that cost the member its partitions from other errors', () => {
    for (const type of ['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']) {
      expect(memberGone(protocolError(type))).toBe(true);
    }
    expect(memberGone(protocolError('REQUEST_TIMED_OUT'))).toBe(false);
    expect(memberGone(new Error('socket closed'))).toBe(false);
    expect(memberGone(undefined)).toBe(false);
  });
});

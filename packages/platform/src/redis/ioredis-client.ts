import { EngineUnavailableError } from '@lukema/core';
import { Redis } from 'ioredis';

export type { Redis } from 'ioredis';

/**
 * One ioredis connection. Commands issued while connecting wait in the offline queue, but
 * while Redis is down they fail after one reconnection attempt, so callers see a retriable
 * EngineUnavailableError and back off instead of piling up.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/** A connection for BullMQ, which wants commands to wait for Redis instead of failing fast. */
export function createQueueRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Runs a Redis call, mapping connection trouble to a retriable error. */
export async function redisCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    throw new EngineUnavailableError('redis', { cause, context: { what } });
  }
}

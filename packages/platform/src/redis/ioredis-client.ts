import { EngineUnavailableError } from '@lukema/core';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisConnection } from '../secrets.js';

export type { Redis } from 'ioredis';

/**
 * One ioredis connection, authenticated with the configured password. Commands issued
 * while connecting wait in the offline queue, but while Redis is down they fail after one
 * reconnection attempt, so callers see a retriable EngineUnavailableError and back off
 * instead of piling up. `options` override these defaults (BullMQ wants
 * `maxRetriesPerRequest: null`).
 */
export function createRedis(connection: RedisConnection, options: RedisOptions = {}): Redis {
  return new Redis(connection.url, {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...(connection.password === undefined ? {} : { password: connection.password }),
    ...options,
  });
}

/** A connection for BullMQ, which wants commands to wait for Redis instead of failing fast. */
export function createQueueRedis(connection: RedisConnection): Redis {
  return new Redis(connection.url, {
    maxRetriesPerRequest: null,
    ...(connection.password === undefined ? {} : { password: connection.password }),
  });
}

/** Runs a Redis call, mapping connection trouble to a retriable error. */
export async function redisCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    throw new EngineUnavailableError('redis', { cause, context: { what } });
  }
}

/**
 * Runs a pipeline or transaction: ioredis resolves `exec()` with each command's error beside
 * its result, so a refused write (out of memory, a read-only replica after a failover) would
 * pass for done. The first command error is thrown, as Redis being unable to serve (retriable).
 * A transaction a WATCH aborted resolves null, as from ioredis.
 */
export async function execAll(
  what: string,
  batch: { exec(): Promise<Array<[Error | null, unknown]> | null> },
): Promise<Array<[Error | null, unknown]> | null> {
  const results = await redisCall(what, () => batch.exec());
  const failed = results?.find(([error]) => error !== null)?.[0];
  if (failed) throw new EngineUnavailableError('redis', { cause: failed, context: { what } });
  return results;
}

import { Kafka, logLevel } from 'kafkajs';
import type { EngineCheck } from './readiness.js';

/**
 * Kafka answers when a broker returns the cluster's metadata. Its own client without
 * retries, so a check fails fast instead of waiting through kafkajs' backoff.
 */
export function kafkaCheck(brokers: readonly string[]): EngineCheck & { close(): Promise<void> } {
  const admin = new Kafka({
    clientId: 'lukema-readiness',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1500,
    requestTimeout: 1500,
    retry: { retries: 0 },
  }).admin();
  let connected = false;
  return {
    name: 'kafka',
    async check() {
      try {
        if (!connected) {
          await admin.connect();
          connected = true;
        }
        await admin.describeCluster();
      } catch (error) {
        connected = false;
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
    },
    close: () => admin.disconnect(),
  };
}

/** InfluxDB answers its `/ping` with 204. */
export function influxCheck(url: string): EngineCheck {
  return {
    name: 'influxdb',
    async check() {
      const res = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(1500) }).catch(
        (error: Error) => {
          // fetch says only "fetch failed"; the reason (ECONNREFUSED, …) is its cause.
          throw error.cause instanceof Error ? error.cause : error;
        },
      );
      if (res.status !== 204) throw new Error(`ping answered ${res.status}`);
    },
  };
}

/** Redis answers PING (through the service's own, authenticated connection). */
export function redisCheck(redis: { ping(): Promise<string> }): EngineCheck {
  return {
    name: 'redis',
    async check() {
      const pong = await redis.ping();
      if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    },
  };
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Keyring, parseKeyring } from '@lukema/core';
import type { Config } from './config.js';

/**
 * The InfluxDB roles whose tokens the provision service creates: `api` (the rights API:
 * exports and analytics) only reads; `ingest` only writes; `registry` reads, writes and
 * deletes (rectification, erasure).
 */
export type InfluxRole =
  | 'operator'
  | 'ingest'
  | 'analyst'
  | 'registry'
  | 'api'
  | 'rollup'
  | 'analytics';

export function influxTokenPath(config: Config, role: InfluxRole): string {
  return role === 'operator'
    ? join(config.influx.tokenDir, 'operator-token')
    : join(config.influx.tokenDir, 'tokens', role);
}

/**
 * The InfluxDB token for a role: LUKEMA_INFLUX_TOKEN when set, else the token file the
 * local stack's provisioning wrote (outside the repo, mode 600).
 * @throws Error naming the missing file when there is neither.
 */
export function readInfluxToken(config: Config, role: InfluxRole): string {
  if (config.influx.token) return config.influx.token;
  const path = influxTokenPath(config, role);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (cause) {
    throw new Error(
      `no InfluxDB ${role} token: set LUKEMA_INFLUX_TOKEN or run infra/provision.sh (${path})`,
      { cause },
    );
  }
}

/**
 * The master keyring: LUKEMA_KEYRING (JSON) when set, else the keyring file.
 * @throws Error naming the file when it cannot be read; KeyringError when malformed.
 */
export function readKeyring(config: Config): Keyring {
  if (config.keyring.inline) return parseKeyring(config.keyring.inline);
  let text: string;
  try {
    text = readFileSync(config.keyring.file, 'utf8');
  } catch (cause) {
    throw new Error(
      `no keyring: set LUKEMA_KEYRING or LUKEMA_KEYRING_FILE (${config.keyring.file})`,
      { cause },
    );
  }
  return parseKeyring(text);
}

/** Where Redis is and the password every client authenticates with. */
export interface RedisConnection {
  readonly url: string;
  readonly password: string | undefined;
}

/**
 * The Redis password: LUKEMA_REDIS_PASSWORD when set, else the password file the local
 * stack's scripts wrote (mode 600, outside the repo); undefined when neither exists (then
 * only a password inside LUKEMA_REDIS_URL authenticates).
 * @throws Error naming the file when it exists but cannot be read.
 */
export function readRedisPassword(config: Config): string | undefined {
  if (config.redis.password) return config.redis.password;
  if (!existsSync(config.redis.passwordFile)) return undefined;
  try {
    return readFileSync(config.redis.passwordFile, 'utf8').trim() || undefined;
  } catch (cause) {
    throw new Error(`cannot read the Redis password file ${config.redis.passwordFile}`, {
      cause,
    });
  }
}

/** The connection every Redis client of a service uses (BullMQ's included). */
export function redisConnection(config: Config): RedisConnection {
  return { url: config.redis.url, password: readRedisPassword(config) };
}

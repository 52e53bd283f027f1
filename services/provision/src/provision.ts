import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatKeyring } from '@lukema/core';
import type { Config, InfluxAdmin, Logger, TopicAdmin } from '@lukema/platform';
import { influxTokenPath } from '@lukema/platform';
import { bucketPlan, RETIRED_TOKEN_ROLES, tokenPlan, topicPlan } from './plan.js';

export interface ProvisionDeps {
  readonly config: Config;
  readonly topics: TopicAdmin;
  readonly influx: InfluxAdmin;
  readonly logger: Logger;
}

/** Creates what is missing (topics, buckets, role tokens); a second run changes nothing. */
/**
 * Creates a keyring for the local stack when none is configured. Production keyrings come
 * from a secret store through LUKEMA_KEYRING or LUKEMA_KEYRING_FILE, never from here.
 */
function ensureLocalKeyring(config: Config, logger: Logger): void {
  if (config.keyring.inline || existsSync(config.keyring.file)) return;
  mkdirSync(dirname(config.keyring.file), { recursive: true, mode: 0o700 });
  const keyring = { current: 'k1', keys: new Map([['k1', randomBytes(32)]]) };
  writeFileSync(config.keyring.file, formatKeyring(keyring), { mode: 0o600 });
  logger.info('local master keyring created');
}

export async function provision({ config, topics, influx, logger }: ProvisionDeps): Promise<void> {
  ensureLocalKeyring(config, logger);
  const created = await topics.ensureTopics(topicPlan(config));
  if (created.length > 0) logger.info({ topics: created }, 'topics created');
  // An existing topic follows the plan too: a retention the policy changed is applied.
  const altered = await topics.alignTopicConfigs(topicPlan(config));
  if (altered.length > 0) logger.info({ topics: altered }, 'topic configuration updated');
  for (const bucket of bucketPlan(config)) {
    const r = await influx.ensureBucket(bucket);
    if (r.created) logger.info({ bucket: bucket.name }, 'bucket created');
  }
  for (const { role, permissions } of tokenPlan(config)) {
    const path = influxTokenPath(config, role);
    if (existsSync(path)) continue;
    const token = await influx.createToken(`lukema ${role}`, permissions);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, token, { mode: 0o600 });
    logger.info({ role }, 'scoped token created');
  }
  // A stack provisioned before analysts lost their token on the readings bucket: revoke it.
  for (const role of RETIRED_TOKEN_ROLES) {
    const path = influxTokenPath(config, role);
    if (!existsSync(path)) continue;
    await influx.deleteToken(readFileSync(path, 'utf8').trim());
    rmSync(path);
    logger.info({ role }, 'retired token revoked');
  }
}

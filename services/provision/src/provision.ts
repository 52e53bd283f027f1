import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config, InfluxAdmin, Logger, TopicAdmin } from '@lukema/platform';
import { influxTokenPath } from '@lukema/platform';
import { bucketPlan, tokenPlan, topicPlan } from './plan.js';

export interface ProvisionDeps {
  readonly config: Config;
  readonly topics: TopicAdmin;
  readonly influx: InfluxAdmin;
  readonly logger: Logger;
}

/** Creates what is missing (topics, buckets, role tokens); a second run changes nothing. */
export async function provision({ config, topics, influx, logger }: ProvisionDeps): Promise<void> {
  const created = await topics.ensureTopics(topicPlan(config));
  if (created.length > 0) logger.info({ topics: created }, 'topics created');
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
}

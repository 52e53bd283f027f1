import { parseArgs } from 'node:util';
import { drifts, retentionReport } from '@lukema/core';
import {
  createKafka,
  createLogger,
  createRedis,
  InfluxClientAdapter,
  KafkajsTopicAdmin,
  loadConfig,
  readInfluxToken,
  redisConnection,
  retentionRules,
} from '@lukema/platform';
import { applyRetention, observeRetention } from './retention.js';

/**
 * `npm run retention -- apply|report`: the retention policy file against the stores.
 * `report` exits 1 when any store drifts from the policy; `apply` makes them match.
 */
const USAGE = 'usage: npm run retention -- apply | report';
const { positionals } = parseArgs({ allowPositionals: true });
const command = positionals[0];
if (command !== 'apply' && command !== 'report') {
  console.error(USAGE);
  process.exit(2);
}
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'retention' });
const topics = new KafkajsTopicAdmin(createKafka({ ...config.kafka, logger }));
const redis = createRedis(redisConnection(config));
const influx = new InfluxClientAdapter({
  url: config.influx.url,
  org: config.influx.org,
  token: readInfluxToken(config, 'operator'),
});
const deps = { config, topics, influx, redis, rules: retentionRules() };
try {
  if (command === 'apply') {
    const changed = await applyRetention(deps);
    console.log(
      changed.length === 0 ? 'retention: nothing to change' : `changed: ${changed.join(', ')}`,
    );
  }
  const observations = await observeRetention(deps);
  console.log(retentionReport(observations));
  if (observations.some(drifts)) process.exitCode = 1;
} finally {
  await topics.close();
  redis.disconnect();
}

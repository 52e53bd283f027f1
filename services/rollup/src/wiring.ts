import {
  type Config,
  createRedis,
  InfluxClientAdapter,
  IoredisDirtyHours,
  IoredisLease,
  IoredisRegistryStore,
  IoredisUnownedSeries,
  type Logger,
  readInfluxToken,
  redisConnection,
  redisKeys,
} from '@lukema/platform';
import { startRollupLoop } from './rollup-loop.js';
import { createRollupRunner } from './rollup-runner.js';

/** The rollup service: the ledger, the runner over InfluxDB, and its loop. */
export function createRollupService(config: Config, logger: Logger) {
  const redis = createRedis(redisConnection(config));
  const keys = redisKeys(config.registry.redisPrefix);
  const ledger = new IoredisDirtyHours(redis, keys.rollupDirtyHours);
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: readInfluxToken(config, 'rollup'),
  });
  const lease = new IoredisLease(redis, keys.rollupRunLease);
  const runner = createRollupRunner({
    store: influx,
    ledger,
    owners: new IoredisRegistryStore(redis, keys.registry),
    unowned: new IoredisUnownedSeries(redis, keys.rollupUnownedSeries),
    readingsBucket: config.influx.buckets.readings,
    rollupBucket: config.influx.buckets.rollups,
    logger,
    settleMs: config.rollups.settleMs,
    // The service's runs and `backfill` write one at a time.
    lease,
  });
  let loop: { stop(): Promise<void> } | undefined;
  return {
    runner,
    ledger,
    lease,
    start() {
      loop = startRollupLoop(runner, config.rollups.intervalMs, logger);
    },
    async stop() {
      await loop?.stop();
      redis.disconnect();
    },
  };
}

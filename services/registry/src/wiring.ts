import {
  type Config,
  createKafka,
  createRedis,
  IoredisKeyCache,
  IoredisParkingStore,
  IoredisRegistryStore,
  KafkajsBatchConsumer,
  KafkajsProducer,
  KafkajsSnapshotReader,
  KafkajsTopicAdmin,
  type Logger,
  readKeyring,
} from '@lukema/platform';
import { CustomerKeyStore } from './customer-key-store.js';
import { createRegistryService } from './registry-service.js';

/** Builds the registry service on the real adapters from config (main, tests, bench). */
export function createRegistry(config: Config, logger: Logger) {
  const kafka = createKafka({ ...config.kafka, logger });
  const redis = createRedis(config.redis.url);
  const prefix = config.registry.redisPrefix;
  const producer = new KafkajsProducer(kafka);
  const admin = new KafkajsTopicAdmin(kafka);
  const store = new IoredisRegistryStore(redis, `${prefix}:registry`);
  const keys = new CustomerKeyStore({
    keyring: readKeyring(config),
    topic: config.kafka.topics.customerKeys,
    producer,
    snapshots: new KafkajsSnapshotReader(kafka),
    cache: new IoredisKeyCache(redis, `${prefix}:keys:customer`),
    logger,
  });
  const service = createRegistryService({
    consumer: new KafkajsBatchConsumer(kafka, {
      group: config.registry.group,
      topics: [config.kafka.topics.contracts],
      partitionsConcurrently: 1,
      fromBeginning: true,
    }),
    store,
    keys,
    parking: new IoredisParkingStore(redis, `${prefix}:parked`),
    producer,
    readingsTopic: config.kafka.topics.readings,
    deadLetterTopic: config.kafka.topics.contractsDeadLetter,
    logger,
  });
  return {
    service,
    store,
    keys,
    /** Loads key material, rebuilds the registry from the topic if Redis lost it, then runs. */
    async start() {
      const loaded = await keys.load();
      if (!(await store.isBuilt())) {
        logger.info('registry not built in Redis: rebuilding from the contracts topic');
        await admin.resetToEarliest(config.registry.group, config.kafka.topics.contracts);
        await store.markBuilt();
      }
      logger.info({ customerKeys: loaded }, 'registry starting');
      await service.start();
    },
    async stop() {
      await service.stop();
      await producer.close();
      await admin.close();
      redis.disconnect();
    },
  };
}

import {
  deriveIdentityKey,
  type IntervalBatch,
  identityCodeHash,
  type Keyring,
} from '@lukema/core';
import {
  type Config,
  createKafka,
  createRedis,
  InfluxClientAdapter,
  IoredisKeyCache,
  IoredisParkingStore,
  IoredisRegistryStore,
  KafkajsBatchConsumer,
  KafkajsProducer,
  KafkajsSnapshotReader,
  KafkajsTopicAdmin,
  type Logger,
  readInfluxToken,
  readKeyring,
  releaseParked,
} from '@lukema/platform';
import { MeterMessageCodec } from '@lukema/schemas';
import { CustomerKeyStore } from './customer-key-store.js';
import { reattachContract } from './reattach.js';
import { createRegistryService } from './registry-service.js';

/**
 * The key identity-code hashes are made with: derived from the keyring's first (oldest)
 * version, so a master-key rotation does not change the hashes customers are found by.
 */
export function identityKeyOf(keyring: Keyring): Buffer {
  const first = keyring.keys.values().next().value;
  if (!first) throw new Error('keyring is empty');
  return deriveIdentityKey(first);
}

export interface RegistryOverrides {
  /** Where rectifications are recorded (the audit trail). */
  readonly recordRectification?: (
    contractId: string,
    moved: number,
    parked: number,
  ) => Promise<void>;
}

/** Builds the registry service on the real adapters from config (main, tests, bench). */
export function createRegistry(config: Config, logger: Logger, overrides: RegistryOverrides = {}) {
  const kafka = createKafka({ ...config.kafka, logger });
  const redis = createRedis(config.redis.url);
  const prefix = config.registry.redisPrefix;
  const producer = new KafkajsProducer(kafka);
  const admin = new KafkajsTopicAdmin(kafka);
  const keyring = readKeyring(config);
  const identityKey = identityKeyOf(keyring);
  const store = new IoredisRegistryStore(redis, `${prefix}:registry`);
  const parking = new IoredisParkingStore(redis, `${prefix}:parked`);
  const codec = new MeterMessageCodec();
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: readInfluxToken(config, 'registry'),
  });
  const keys = new CustomerKeyStore({
    keyring,
    topic: config.kafka.topics.customerKeys,
    producer,
    snapshots: new KafkajsSnapshotReader(kafka),
    cache: new IoredisKeyCache(redis, `${prefix}:keys:customer`),
    logger,
  });
  const park = (meteringPointId: string, batch: IntervalBatch) =>
    parking.park([{ meteringPointId, message: codec.encodeInterval(batch) }]);
  const service = createRegistryService({
    consumer: new KafkajsBatchConsumer(kafka, {
      group: config.registry.group,
      topics: [config.kafka.topics.contracts, config.kafka.topics.objections],
      partitionsConcurrently: 1,
      fromBeginning: true,
    }),
    store,
    keys,
    parking,
    producer,
    readingsTopic: config.kafka.topics.readings,
    deadLetterTopic: config.kafka.topics.contractsDeadLetter,
    objectionsTopic: config.kafka.topics.objections,
    logger,
    identityHash: (code) => identityCodeHash(identityKey, code),
    reattach: async (previous) => {
      const result = await reattachContract(previous, {
        influx,
        registry: store,
        bucket: config.influx.buckets.readings,
        park,
      });
      // Readings that left a contract may now be parked: offer them to their new owner.
      for (const id of previous.meteringPointIds) {
        await releaseParked(parking, producer, config.kafka.topics.readings, id);
      }
      return result;
    },
    recordRectification: async (contract, moved, parked) => {
      logger.info({ contractId: contract.contractId, moved, parked }, 'assignment rectified');
      await overrides.recordRectification?.(contract.contractId, moved, parked);
    },
  });
  return {
    service,
    store,
    keys,
    parking,
    identityKey,
    /** Loads key material, rebuilds the registry from the topics if Redis lost it, then runs. */
    async start() {
      const loaded = await keys.load();
      if (!(await store.isBuilt())) {
        logger.info('registry not built in Redis: rebuilding from the contracts topic');
        await admin.resetToEarliest(config.registry.group, config.kafka.topics.contracts);
        await admin.resetToEarliest(config.registry.group, config.kafka.topics.objections);
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

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
  KafkaAuditLog,
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

/** Builds the registry service on the real adapters from config (main, tests, bench). */
export function createRegistry(
  config: Config,
  logger: Logger,
  options: {
    /** Called when the consumer crashed and its restarts are used up (main exits non-zero). */
    readonly onFatal?: (error: Error) => void;
  } = {},
) {
  const kafka = createKafka({ ...config.kafka, logger });
  const redis = createRedis(config.redis.url);
  const prefix = config.registry.redisPrefix;
  const topics = config.kafka.topics;
  const bucket = config.influx.buckets.readings;
  const producer = new KafkajsProducer(kafka);
  const admin = new KafkajsTopicAdmin(kafka);
  const snapshots = new KafkajsSnapshotReader(kafka);
  const keyring = readKeyring(config);
  const identityKey = identityKeyOf(keyring);
  const store = new IoredisRegistryStore(redis, `${prefix}:registry`);
  const parking = new IoredisParkingStore(redis, `${prefix}:parked`);
  const codec = new MeterMessageCodec();
  // The registry's own audit chain: the rectifications and erasures it carries out.
  const audit = new KafkaAuditLog({ producer, snapshots, topic: `${topics.audit}.registry` });
  const influx = new InfluxClientAdapter({
    url: config.influx.url,
    org: config.influx.org,
    token: readInfluxToken(config, 'registry'),
  });
  const keys = new CustomerKeyStore({
    keyring,
    topic: topics.customerKeys,
    producer,
    snapshots,
    cache: new IoredisKeyCache(redis, `${prefix}:keys:customer`),
    logger,
  });
  const park = (meteringPointId: string, batch: IntervalBatch) =>
    parking.park([{ meteringPointId, message: codec.encodeInterval(batch) }]);
  const now = () => new Date().toISOString();

  const service = createRegistryService({
    consumer: new KafkajsBatchConsumer(kafka, {
      group: config.registry.group,
      topics: [topics.contracts, topics.objections, topics.erasures, topics.corrections],
      partitionsConcurrently: 1,
      fromBeginning: true,
      logger,
      restart: { maxRestarts: config.kafka.consumerMaxRestarts },
      ...(options.onFatal ? { onFatal: options.onFatal } : {}),
    }),
    store,
    keys,
    parking,
    producer,
    readingsTopic: topics.readings,
    deadLetterTopic: topics.contractsDeadLetter,
    objectionsTopic: topics.objections,
    erasuresTopic: topics.erasures,
    correctionsTopic: topics.corrections,
    logger,
    identityHash: (code) => identityCodeHash(identityKey, code),
    reattach: async (previous) => {
      const result = await reattachContract(previous, { influx, registry: store, bucket, park });
      // Readings that left a contract may now be parked: offer them to their new owner.
      for (const id of previous.meteringPointIds) {
        await releaseParked(parking, producer, topics.readings, id);
      }
      return result;
    },
    recordRectification: async (contract, moved, parked) => {
      logger.info({ contractId: contract.contractId, moved, parked }, 'assignment rectified');
      await audit.append({
        at: now(),
        actor: 'customer-system',
        role: 'processor',
        purpose: 'access_request',
        action: 'rectify.contract',
        outcome: 'succeeded',
        subject: contract.customerId,
        details: { contractId: contract.contractId, moved, parked },
      });
    },
    recordObjection: async (customerId, objections) => {
      await audit.append({
        at: now(),
        actor: objections.source,
        role: objections.source === 'dpo' ? 'dpo' : 'processor',
        purpose: 'access_request',
        action: 'optout.set',
        outcome: 'succeeded',
        subject: customerId,
        details: {
          directMarketing: objections.directMarketing,
          marketResearch: objections.marketResearch,
        },
      });
    },
    recordReadingCorrection: async (correction) => {
      // The store keeps the current value; the audit keeps that it changed, and for whom.
      const owner = await store.findPseudonym(correction.pseudonym);
      await audit.append({
        at: now(),
        actor: 'head-end',
        role: 'processor',
        purpose: 'billing',
        action: 'rectify.reading',
        outcome: 'succeeded',
        ...(owner ? { subject: owner.customerId } : {}),
        details: {
          pseudonym: correction.pseudonym,
          windowStart: correction.windowStart,
          intervals: correction.intervals,
        },
      });
    },
    erase: async (customerId, requestId) => {
      const contracts = await store.contractsOfCustomer(customerId);
      for (const contract of contracts) {
        for (const pseudonym of Object.values(contract.pseudonyms)) {
          await influx.deletePoints(
            bucket,
            `pseudonym="${pseudonym}"`,
            '1970-01-01T00:00:00Z',
            '2200-01-01T00:00:00Z',
          );
        }
      }
      await store.forgetCustomer(customerId);
      await keys.destroy(customerId);
      // The audit keeps that an erasure happened, not whose data it was.
      await audit.append({
        at: now(),
        actor: 'registry',
        role: 'processor',
        purpose: 'access_request',
        action: 'erase',
        outcome: 'succeeded',
        details: { requestId, contracts: contracts.length },
      });
      logger.info({ requestId, contracts: contracts.length }, 'customer erased');
    },
  });
  return {
    service,
    store,
    keys,
    parking,
    identityKey,
    audit,
    /** Loads key material, rebuilds the registry from the topics if Redis lost it, then runs. */
    async start() {
      await redis.ping(); // connected before the first write
      const loaded = await keys.load();
      if (!(await store.isBuilt())) {
        logger.info('registry not built in Redis: rebuilding from the topics');
        // Erasures are not replayed: they were carried out already, and a rebuild must not
        // erase a customer who has come back since.
        for (const topic of [topics.contracts, topics.objections]) {
          await admin.resetToEarliest(config.registry.group, topic);
        }
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

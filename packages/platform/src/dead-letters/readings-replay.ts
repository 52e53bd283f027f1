import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Config } from '../config.js';
import { KafkajsRangeReader } from '../kafka/kafkajs-range-reader.js';
import type { MessageProducer } from '../kafka/ports.js';
import type { Logger } from '../logger.js';
import { redisCall } from '../redis/ioredis-client.js';
import { IoredisKeyLedger } from '../redis/ioredis-key-ledger.js';
import { redisKeys } from '../redis/key-names.js';
import {
  type DeadLetterReplayOptions,
  REPLAYED_KEEP_MS,
  type ReplayReport,
  replayDeadLetters,
} from './dead-letter-replay.js';
import { ReplayBusyError } from './replay-busy-error.js';

/** A replay holds its lock at most this long (a crashed one does not block for ever). */
const LOCK_MS = 30 * 60_000;
/** Deletes the lock only if it is still ours. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/** Which letters a replay takes: a reason's text, or its kind (the console's choice). */
export type ReplayFilter = Pick<DeadLetterReplayOptions, 'reasonContains' | 'reasonKind'>;

/** The ledger of source messages a replay of the readings' dead letters re-queued. */
export const replayedLedger = (config: Config, redis: Redis) =>
  new IoredisKeyLedger(
    redis,
    redisKeys(config.registry.redisPrefix).deadLettersReplayed(config.kafka.topics.deadLetter),
    REPLAYED_KEEP_MS,
  );

/** The replay group: how far every earlier replay of the readings' dead letters got. */
export const replayGroup = (config: Config) => `${config.ingest.group}.dlq-replay`;

/**
 * Runs `work` while holding the replay lock of the readings' dead-letter topic.
 * @throws ReplayBusyError when another replay holds it.
 */
async function exclusively<T>(config: Config, redis: Redis, work: () => Promise<T>): Promise<T> {
  const key = redisKeys(config.registry.redisPrefix).deadLettersReplayLock(
    config.kafka.topics.deadLetter,
  );
  const token = randomBytes(16).toString('hex');
  const got = await redisCall('replay lock', () => redis.set(key, token, 'PX', LOCK_MS, 'NX'));
  if (got !== 'OK') throw new ReplayBusyError(config.kafka.topics.deadLetter);
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}

/**
 * The readings' dead-letter replay as the CLI (`npm run replay-dead-letters`) and the API
 * (`POST /v1/dead-letters/replay`) both run it: one function, one ledger, one progress group,
 * and one replay at a time (a lock in Redis), so two cannot re-queue the same letters.
 * @throws ReplayBusyError when another replay runs; EngineUnavailableError when Kafka or
 *   Redis fails (nothing is lost: run it again).
 */
export function readingsReplay(
  config: Config,
  engines: {
    readonly kafka: Kafka;
    readonly redis: Redis;
    readonly producer: MessageProducer;
    readonly logger: Logger;
  },
) {
  return (filter: ReplayFilter = {}): Promise<ReplayReport> =>
    exclusively(config, engines.redis, async () => {
      const reader = new KafkajsRangeReader(engines.kafka);
      try {
        return await replayDeadLetters(
          {
            reader,
            producer: engines.producer,
            replayed: replayedLedger(config, engines.redis),
            logger: engines.logger,
          },
          {
            deadLetterTopic: config.kafka.topics.deadLetter,
            targetTopic: config.kafka.topics.readings,
            group: replayGroup(config),
            ...(filter.reasonContains ? { reasonContains: filter.reasonContains } : {}),
            ...(filter.reasonKind ? { reasonKind: filter.reasonKind } : {}),
          },
        );
      } finally {
        await reader.close();
      }
    });
}

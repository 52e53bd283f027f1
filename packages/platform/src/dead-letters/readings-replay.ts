import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Config } from '../config.js';
import { KafkajsRangeReader } from '../kafka/kafkajs-range-reader.js';
import type { MessageProducer } from '../kafka/ports.js';
import type { Logger } from '../logger.js';
import { IoredisKeyLedger } from '../redis/ioredis-key-ledger.js';
import { redisKeys } from '../redis/key-names.js';
import {
  type DeadLetterReplayOptions,
  REPLAYED_KEEP_MS,
  type ReplayReport,
  replayDeadLetters,
} from './dead-letter-replay.js';

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
 * The readings' dead-letter replay as the CLI (`npm run replay-dead-letters`) and the API
 * (`POST /v1/dead-letters/replay`) both run it: one function, one ledger, one progress group.
 * @throws EngineUnavailableError when Kafka or Redis fails (nothing is lost: run it again).
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
  return async (filter: ReplayFilter = {}): Promise<ReplayReport> => {
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
  };
}

import { REPLAYED_KEEP_MS, replayDeadLetters } from '@lukema/ingest';
import { IoredisKeyLedger, KafkajsRangeReader, redisKeys } from '@lukema/platform';
import type { TestStack } from './test-stack.js';

/** Runs the dead-letter replay on a test stack as `npm run replay-dead-letters` does. */
export async function replayOn(stack: TestStack, reasonContains?: string) {
  const reader = new KafkajsRangeReader(stack.kafka);
  try {
    return await replayDeadLetters(
      {
        reader,
        producer: stack.producer,
        replayed: new IoredisKeyLedger(
          stack.redis,
          redisKeys(stack.config.registry.redisPrefix).deadLettersReplayed(
            stack.config.kafka.topics.deadLetter,
          ),
          REPLAYED_KEEP_MS,
        ),
        logger: stack.logger,
      },
      {
        deadLetterTopic: stack.config.kafka.topics.deadLetter,
        targetTopic: stack.config.kafka.topics.readings,
        group: `${stack.config.ingest.group}.dlq-replay`,
        ...(reasonContains ? { reasonContains } : {}),
      },
    );
  } finally {
    await reader.close();
  }
}

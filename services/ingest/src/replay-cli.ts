import { parseArgs } from 'node:util';
import {
  createKafka,
  createLogger,
  createRedis,
  IoredisKeyLedger,
  KafkajsProducer,
  KafkajsRangeReader,
  loadConfig,
  redisConnection,
  redisKeys,
} from '@lukema/platform';
import { REPLAYED_KEEP_MS, replayDeadLetters } from './dead-letter-replay.js';

// `npm run replay-dead-letters -w @lukema/ingest -- [--reason TEXT]`: re-queues the dead
// letters present now that no replay re-queued yet (optionally only one reason), then exits.
const { values } = parseArgs({ options: { reason: { type: 'string' } } });
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'dlq-replay' });
const kafka = createKafka({ ...config.kafka, logger });
const redis = createRedis(redisConnection(config));
const reader = new KafkajsRangeReader(kafka);
const producer = new KafkajsProducer(kafka);
try {
  const report = await replayDeadLetters(
    {
      reader,
      producer,
      replayed: new IoredisKeyLedger(
        redis,
        redisKeys(config.registry.redisPrefix).deadLettersReplayed(config.kafka.topics.deadLetter),
        REPLAYED_KEEP_MS,
      ),
      logger,
    },
    {
      deadLetterTopic: config.kafka.topics.deadLetter,
      targetTopic: config.kafka.topics.readings,
      group: `${config.ingest.group}.dlq-replay`,
      ...(values.reason ? { reasonContains: values.reason } : {}),
    },
  );
  const ranges = Object.entries(report.ranges)
    .map(([p, r]) => `${p}:${r.from}..${r.to}`)
    .join(' ');
  console.log(
    `replayed ${report.replayed} dead letters to ${config.kafka.topics.readings}; ` +
      `${report.alreadyReplayed} left out (their source message was replayed before); ` +
      `${report.skipped} kept for a later replay${values.reason ? ` (another reason than "${values.reason}")` : ''}; ` +
      `read ${config.kafka.topics.deadLetter} ${ranges || '(empty)'}`,
  );
} finally {
  await producer.close();
  await reader.close();
  redis.disconnect();
}

import { parseArgs } from 'node:util';
import {
  createKafka,
  createLogger,
  KafkajsBatchConsumer,
  KafkajsProducer,
  KafkajsTopicAdmin,
  loadConfig,
} from '@lukema/platform';
import { createDeadLetterReplay } from './dead-letter-replay.js';

// `npm run replay-dead-letters -w @lukema/ingest -- [--reason TEXT]`: re-queues the dead
// letters not yet replayed (the replay group remembers where it got to), then exits.
const { values } = parseArgs({ options: { reason: { type: 'string' } } });
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'dlq-replay' });
const kafka = createKafka({ ...config.kafka, logger });
const group = `${config.ingest.group}.dlq-replay`;
const admin = new KafkajsTopicAdmin(kafka);
const producer = new KafkajsProducer(kafka);
const endOffsets = await admin.endOffsets(config.kafka.topics.deadLetter);
const replay = createDeadLetterReplay({
  endOffsets,
  consumer: new KafkajsBatchConsumer(kafka, {
    group,
    topics: [config.kafka.topics.deadLetter],
    partitionsConcurrently: 1,
    fromBeginning: true,
  }),
  producer,
  targetTopic: config.kafka.topics.readings,
  logger,
  ...(values.reason ? { reasonContains: values.reason } : {}),
});
void replay.start();
while (!replay.isComplete()) {
  await new Promise((r) => setTimeout(r, 250));
}
await replay.stop();
await producer.close();
await admin.close();
console.log(`replayed ${replay.stats.replayed} dead letters, skipped ${replay.stats.skipped}`);

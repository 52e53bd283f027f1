import { parseArgs } from 'node:util';
import {
  createKafka,
  createLogger,
  createRedis,
  KafkajsProducer,
  loadConfig,
  readingsReplay,
  redisConnection,
} from '@lukema/platform';

// `npm run replay-dead-letters -w @lukema/ingest -- [--reason TEXT] [--kind KIND]`: re-queues
// the dead letters present now that no replay re-queued yet (optionally only those whose
// reason holds TEXT, or of one reason kind as the console shows it), then exits. The API's
// `POST /v1/dead-letters/replay` runs the same function.
const { values } = parseArgs({
  options: { reason: { type: 'string' }, kind: { type: 'string' } },
});
const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'dlq-replay' });
const kafka = createKafka({ ...config.kafka, logger });
const redis = createRedis(redisConnection(config));
const producer = new KafkajsProducer(kafka);
try {
  const report = await readingsReplay(config, { kafka, redis, producer, logger })({
    ...(values.reason ? { reasonContains: values.reason } : {}),
    ...(values.kind ? { reasonKind: values.kind } : {}),
  });
  const ranges = Object.entries(report.ranges)
    .map(([p, r]) => `${p}:${r.from}..${r.to}`)
    .join(' ');
  const filter = [
    values.reason ? `another reason than "${values.reason}"` : '',
    values.kind ? `another kind than "${values.kind}"` : '',
  ]
    .filter(Boolean)
    .join(', ');
  console.log(
    `replayed ${report.replayed} dead letters to ${config.kafka.topics.readings}; ` +
      `${report.alreadyReplayed} left out (their source message was replayed before); ` +
      `${report.skipped} kept for a later replay${filter ? ` (${filter})` : ''}; ` +
      `read ${config.kafka.topics.deadLetter} ${ranges || '(empty)'}`,
  );
} finally {
  await producer.close();
  redis.disconnect();
}

#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { createIngestService } from '@lukema/ingest';
import { createKafka, createLogger, KafkajsProducer, loadConfig } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { simulatedPopulation } from './population.js';
import { type ProduceCounters, produceAll } from './produce.js';
import { fmt, progressLine } from './progress.js';
import { simulate } from './simulate.js';

const USAGE = `usage: lukema-headend-sim <produce|demo> [options]
  produce   send N metering points' readings for a period to Kafka, then exit
  demo      run the ingest worker in this process and feed it, with a live progress line
options:
  --points N       metering points (default 2000)
  --from ISO       start of the period (default: 7 days ago, UTC midnight)
  --days D         length of the period in days (default 7)
  --bad-share F    share of messages with bad data, 0..1 (default 0.01)
  --late-share F   share of 6-hour pushes sent late, 0..1 (default 0.02)
  --seed N         random seed (default 1)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    points: { type: 'string', default: '2000' },
    from: { type: 'string' },
    days: { type: 'string', default: '7' },
    'bad-share': { type: 'string', default: '0.01' },
    'late-share': { type: 'string', default: '0.02' },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
});
const command = positionals[0];
if (values.help || (command !== 'produce' && command !== 'demo')) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const config = loadConfig(process.env);
const logger = createLogger({
  level: config.logLevel === 'info' ? 'warn' : config.logLevel,
  name: 'headend-sim',
});
const today = new Date();
const fromMs = values.from
  ? Date.parse(values.from)
  : Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) -
    Number(values.days) * 86_400_000;
if (Number.isNaN(fromMs)) throw new Error(`--from is not a date: ${values.from}`);
const options = {
  sites: simulatedPopulation(Number(values.points), Number(values.seed)),
  fromMs,
  toMs: fromMs + Number(values.days) * 86_400_000,
  badShare: Number(values['bad-share']),
  lateShare: Number(values['late-share']),
  seed: Number(values.seed),
};

const producer = new KafkajsProducer(createKafka({ ...config.kafka, logger }));
const counters: ProduceCounters = { messages: 0, readings: 0, faulty: 0 };
const ingest = command === 'demo' ? createIngestService(config, logger) : null;
let stopping = false;
process.once('SIGINT', () => {
  stopping = true;
});

const t0 = Date.now();
const progress = progressLine(() => {
  const s = (Date.now() - t0) / 1000;
  const produced = `produced ${fmt(counters.readings)} readings in ${fmt(counters.messages)} pushes`;
  if (!ingest) return `${produced} (${fmt(counters.readings / s)}/s)`;
  const st = ingest.worker.stats;
  return `${produced} | stored ${fmt(st.pointsWritten)} points (${fmt(st.pointsWritten / s)}/s) | dead-lettered ${fmt(st.deadLettered)} | retries ${st.retries}`;
});
void ingest?.worker.start();
try {
  await produceAll(
    producer,
    config.kafka.topics.readings,
    simulate(new IntervalBatchCodec(), options),
    counters,
    {
      shouldStop: () => stopping,
    },
  );
  if (ingest) {
    // Keep consuming until every produced message is stored or dead-lettered.
    while (!stopping && ingest.worker.stats.messages < counters.messages) {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
} finally {
  progress.stop();
  await producer.close();
  await ingest?.stop();
}

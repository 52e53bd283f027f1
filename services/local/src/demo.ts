import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  contractMessages,
  type ProduceCounters,
  produceAll,
  simulate,
  simulatedContracts,
  simulatedPopulation,
} from '@lukema/headend-sim';
import { createIngestService } from '@lukema/ingest';
import {
  createKafka,
  createLogger,
  KafkajsProducer,
  KafkajsTopicAdmin,
  loadConfig,
} from '@lukema/platform';
import { createRegistry } from '@lukema/registry';
import { IntervalBatchCodec } from '@lukema/schemas';
import { recordPid } from './pid-file.js';
import { fmt, progressLine } from './progress.js';

const USAGE = `usage: npm start -- --once [options]
  the finite demo: publishes the simulated customer system's contracts and the head-end's
  readings for N metering points over a period, with the registry and an ingest worker
  running in this process and a live progress line until every reading is stored, parked or
  dead-lettered, then a summary
options:
  --points N       metering points (default 2000)
  --from ISO       start of the period (default: --days before today, UTC midnight)
  --days D         length of the period in days (default 7)
  --bad-share F    share of pushes with bad data, 0..1 (default 0.01)
  --late-share F   share of 6-hour pushes sent late, 0..1 (default 0.02)
  --move-share F   share of sites whose occupant moves during the period (default 0.05)
  --seed N         random seed (default 1)`;

const { values } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    points: { type: 'string', default: '2000' },
    from: { type: 'string' },
    days: { type: 'string', default: '7' },
    'bad-share': { type: 'string', default: '0.01' },
    'late-share': { type: 'string', default: '0.02' },
    'move-share': { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const config = loadConfig(process.env);
// The services' logs go to a file, so the progress line stays readable.
const logFile = fileURLToPath(new URL('../../../logs/local.log', import.meta.url));
const logger = createLogger({
  level: config.logLevel === 'info' ? 'warn' : config.logLevel,
  name: 'local',
  file: logFile,
});
const days = Number(values.days);
const today = new Date();
const fromMs = values.from
  ? Date.parse(values.from)
  : Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * 86_400_000;
if (Number.isNaN(fromMs)) throw new Error(`--from is not a date: ${values.from}`);
const sites = simulatedPopulation(Number(values.points), Number(values.seed));
const period = { fromMs, toMs: fromMs + days * 86_400_000 };
const contracts = simulatedContracts(sites, {
  ...period,
  moveShare: Number(values['move-share']),
  vacancyShare: 0.3,
  seed: Number(values.seed),
});

const kafka = createKafka({ ...config.kafka, logger });
const producer = new KafkajsProducer(kafka);
const admin = new KafkajsTopicAdmin(kafka);
const settled = async (topic: string, group: string) => {
  while (!stopping && (await admin.lag(group, topic)) > 0)
    await new Promise((r) => setTimeout(r, 250));
};
const counters: ProduceCounters = { messages: 0, readings: 0, faulty: 0 };
// A consumer that crashed for good ends the demo with an error instead of a frozen line.
const onFatal = (error: Error) => {
  console.error(`\na consumer crashed and could not be restarted: ${error.message} (${logFile})`);
  process.exit(1);
};
const registry = createRegistry(config, logger, { onFatal });
const ingest = createIngestService(config, logger, { onFatal });
let stopping = false;
// `npm stop` (infra/stop.sh) sends SIGTERM to the recorded id: finish as on Ctrl-C.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
  });
}
recordPid(config.dataDir, 'local-demo');

await producer.send(config.kafka.topics.contracts, contractMessages(contracts));
console.log(
  `customer system: ${fmt(contracts.length)} contracts for ${fmt(sites.length)} metering points published`,
);
await registry.start();
// Let the registry take in the contracts first, as it would have long before in production.
await settled(config.kafka.topics.contracts, config.registry.group);
const t0 = Date.now();
const progress = progressLine(() => {
  const s = Math.max(0.001, (Date.now() - t0) / 1000);
  const produced = `head-end: ${fmt(counters.readings)} readings in ${fmt(counters.messages)} pushes`;
  const st = ingest.worker.stats;
  return `${produced} | stored ${fmt(st.pointsWritten)} (${fmt(st.pointsWritten / s)}/s) | parked ${fmt(st.parked)} | dead-lettered ${fmt(st.deadLettered)} pushes | retries ${st.retries}`;
});
void ingest.worker.start();
try {
  const messages = simulate(new IntervalBatchCodec(), {
    sites,
    ...period,
    badShare: Number(values['bad-share']),
    lateShare: Number(values['late-share']),
    seed: Number(values.seed),
  });
  await produceAll(producer, config.kafka.topics.readings, messages, counters, {
    shouldStop: () => stopping,
  });
  // Keep consuming until every push (and every re-queued parked one) is stored, parked or
  // dead-lettered.
  await settled(config.kafka.topics.readings, config.ingest.group);
} finally {
  progress.stop();
  await producer.close();
  await admin.close();
  await Promise.all([ingest.stop(), registry.stop()]);
}
{
  const st = ingest.worker.stats;
  console.log(
    `done: ${fmt(st.pointsWritten)} points stored, ${fmt(st.parked)} readings parked (no contract at their time: vacant, or not yet registered; one re-queued and parked again counts again), ${fmt(st.deadLettered)} pushes dead-lettered with their reason on ${config.kafka.topics.deadLetter}`,
  );
}
console.log(`service logs: ${logFile}`);

#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import {
  createKafka,
  createLogger,
  KafkajsProducer,
  KafkajsTopicAdmin,
  loadConfig,
} from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { BURST_MS } from './bursts.js';
import { contractMessages, simulatedContracts } from './contracts.js';
import { lastCompleteWindow, livePushes } from './live.js';
import { simulatedPopulation } from './population.js';
import { type ProduceCounters, produceAll } from './produce.js';
import { simulate } from './simulate.js';

const USAGE = `usage: lukema-sim <produce|feed> [options]
  produce   publish the simulated customer system's contracts and the head-end's readings
            for N metering points over a period to Kafka, then exit
  feed      the same for the days up to now (the backlog), then live pushes every few
            seconds until SIGINT/SIGTERM (what \`npm start\` runs)
options:
  --points N       metering points (default 2000)
  --from ISO       start of the period (produce; default: --days before today, UTC midnight)
  --days D         length of the period, or of the backlog, in days (default 7)
  --every S        feed: seconds between live pushes (default 3)
  --slices K       feed: live ticks for every point to push the current window (default 20)
  --bad-share F    share of pushes with bad data, 0..1 (default 0.01)
  --late-share F   share of 6-hour pushes sent late, 0..1 (default 0.02)
  --move-share F   share of sites whose occupant moves during the period (default 0.05)
  --seed N         random seed (default 1)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    points: { type: 'string', default: '2000' },
    from: { type: 'string' },
    days: { type: 'string', default: '7' },
    every: { type: 'string', default: '3' },
    slices: { type: 'string', default: '20' },
    'bad-share': { type: 'string', default: '0.01' },
    'late-share': { type: 'string', default: '0.02' },
    'move-share': { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
});
const command = positionals[0];
if (values.help || (command !== 'produce' && command !== 'feed')) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: 'headend-sim' });
const days = Number(values.days);
const seed = Number(values.seed);
const badShare = Number(values['bad-share']);
const today = new Date();
// The feed's backlog ends where its live pushes begin: with the last window that has ended.
const toMs =
  command === 'feed'
    ? lastCompleteWindow(Date.now()) + BURST_MS
    : values.from
      ? Date.parse(values.from) + days * 86_400_000
      : Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
const fromMs = toMs - days * 86_400_000;
if (Number.isNaN(fromMs)) throw new Error(`--from is not a date: ${values.from}`);
const sites = simulatedPopulation(Number(values.points), seed);
const contracts = simulatedContracts(sites, {
  fromMs,
  toMs,
  moveShare: Number(values['move-share']),
  vacancyShare: 0.3,
  seed,
});

let stopping = false;
const stopped = new Promise<void>((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      resolve();
    });
  }
});
const kafka = createKafka({ ...config.kafka, logger });
const producer = new KafkajsProducer(kafka);
const counters: ProduceCounters = { messages: 0, readings: 0, faulty: 0 };
// A supervisor that forked this process with an IPC channel shows these on its status line.
const report = (phase: string) => process.send?.({ kind: 'headend-sim', phase, ...counters });
const codec = new IntervalBatchCodec();

/**
 * The feed starts its backlog once the registry has taken in the contracts (up to a
 * minute), as it would have long before in production; readings sent earlier would be
 * parked and released again, which is correct but not what a running utility sees.
 */
async function registryCaughtUp() {
  const admin = new KafkajsTopicAdmin(kafka);
  try {
    const until = Date.now() + 60_000;
    while (!stopping && Date.now() < until) {
      const lag = await admin
        .lag(config.registry.group, config.kafka.topics.contracts)
        .catch(() => 1);
      if (lag === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.close();
  }
}
try {
  await producer.send(config.kafka.topics.contracts, contractMessages(contracts));
  logger.info({ contracts: contracts.length, points: sites.length }, 'contracts published');
  report('contracts');
  if (command === 'feed') await registryCaughtUp();
  report('backlog');
  const progress = setInterval(() => report('backlog'), 1000);
  await produceAll(
    producer,
    config.kafka.topics.readings,
    simulate(codec, {
      sites,
      fromMs,
      toMs,
      badShare,
      lateShare: Number(values['late-share']),
      seed,
    }),
    counters,
    { shouldStop: () => stopping },
  );
  clearInterval(progress);
  logger.info({ ...counters, days }, 'backlog published');
  if (command === 'produce') {
    console.log(
      `head-end: ${counters.readings} readings in ${counters.messages} pushes (${counters.faulty} faulty), ${contracts.length} contracts`,
    );
  }
  const everyMs = Number(values.every) * 1000;
  for (let tick = 0; command === 'feed' && !stopping; tick++) {
    report('live');
    const pushes = livePushes(codec, Date.now(), tick, {
      sites,
      slices: Number(values.slices),
      badShare,
      seed,
    });
    await produceAll(producer, config.kafka.topics.readings, pushes, counters);
    await Promise.race([stopped, new Promise((r) => setTimeout(r, everyMs))]);
  }
} finally {
  await producer.close();
}
logger.info(counters, 'head-end simulator stopped');

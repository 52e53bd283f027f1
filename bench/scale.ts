/**
 * `npm run bench:scale`: the ingest worker count 1, 2 and 3 in one consumer group on the same
 * topic. Each count runs on its own group, Redis prefix and bucket over the same pushes, as
 * separate worker processes; it prints readings/s and the partitions each worker held (from
 * its metrics), then a key=value last line. On one 2-core machine the workers share the same
 * cores and InfluxDB: the point is that the group shares the partitions, not the figure.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { formatKeyring } from '@lukema/core';
import {
  contractMessages,
  simulate,
  simulatedContracts,
  simulatedPopulation,
} from '@lukema/headend-sim';
import {
  type Config,
  createKafka,
  createLogger,
  createRedis,
  InfluxClientAdapter,
  KafkajsProducer,
  KafkajsTopicAdmin,
  loadConfig,
  readInfluxToken,
  redisConnection,
} from '@lukema/platform';
import { createRegistry } from '@lukema/registry';
import { IntervalBatchCodec } from '@lukema/schemas';
import { AssignerProtocol } from 'kafkajs';
import { fmt } from './format.js';
import { runWorkerProcess } from './worker-process.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const POINTS = Number(process.env.BENCH_POINTS ?? 1500);
const DAYS = Number(process.env.BENCH_DAYS ?? 2);
const COUNTS = [1, 2, 3];
const say = (s: string) => console.log(`[bench:scale] ${s}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loopback port nobody listens on right now, for a worker's metrics. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Points a worker wrote (from its metrics; a batch redone after a rebalance counts again). */
async function workerStored(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^lukema_ingest_readings_stored_total (\S+)$/m.exec(text)?.[1] ?? 0);
}

const id = `scale-${randomBytes(3).toString('hex')}`;
const operator = readInfluxToken(loadConfig(process.env), 'operator');
const base: Record<string, string> = {
  LUKEMA_TOPIC_READINGS: `${id}.readings`,
  LUKEMA_TOPIC_DEAD_LETTER: `${id}.dead-letter`,
  LUKEMA_TOPIC_CONTRACTS: `${id}.contracts`,
  LUKEMA_TOPIC_CONTRACTS_DEAD_LETTER: `${id}.contracts-dead-letter`,
  LUKEMA_TOPIC_CUSTOMER_KEYS: `${id}.customer-keys`,
  LUKEMA_INFLUX_TOKEN: operator,
  LUKEMA_KEYRING: formatKeyring({ current: 'k1', keys: new Map([['k1', randomBytes(32)]]) }),
  LUKEMA_LOG_LEVEL: 'warn',
};
/**
 * One count's own topic, group, Redis prefix and bucket: every run reads and writes
 * everything, and its pushes are sent once all its workers have joined the group.
 */
const runEnv = (n: number): Record<string, string> => ({
  ...base,
  LUKEMA_TOPIC_READINGS: `${id}.readings-${n}`,
  LUKEMA_INGEST_GROUP: `${id}.ingest-${n}`,
  LUKEMA_REGISTRY_GROUP: `${id}.registry-${n}`,
  LUKEMA_REDIS_PREFIX: `bench:${id}:${n}`,
  LUKEMA_INFLUX_BUCKET_READINGS: `${id}-${n}`,
});
const config = loadConfig({ ...process.env, ...base });
const logger = createLogger({ level: 'warn', name: 'bench-scale' });
const kafka = createKafka({ ...config.kafka, logger });
const admin = new KafkajsTopicAdmin(kafka);
const producer = new KafkajsProducer(kafka);
const influx = new InfluxClientAdapter({
  url: config.influx.url,
  org: config.influx.org,
  token: operator,
});
const t = config.kafka.topics;
const topics = [
  ...COUNTS.map((n) => `${id}.readings-${n}`),
  t.deadLetter,
  t.contracts,
  t.contractsDeadLetter,
  t.customerKeys,
];
const groupAdmin = kafka.admin();

/** The partitions each member of a group holds now, from Kafka's group description. */
async function heldPartitions(group: string, topic: string): Promise<number[][]> {
  const [g] = (await groupAdmin.describeGroups([group])).groups;
  return (g?.members ?? []).map((m) =>
    [
      ...(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? []),
    ].sort((a, b) => a - b),
  );
}

/** Waits until `n` members of a group hold partitions (the group has settled). */
async function groupSettled(group: string, n: number) {
  for (;;) {
    const [g] = (await groupAdmin.describeGroups([group])).groups;
    if (g?.state === 'Stable' && g.members.length === n) return;
    await sleep(200);
  }
}

async function applyContracts(run: Config) {
  const registry = createRegistry(run, logger);
  await registry.start();
  while ((await admin.lag(run.registry.group, t.contracts)) > 0) await sleep(200);
  await registry.stop();
}

async function runWorkers(
  n: number,
  pushes: readonly { key: string; value: Buffer }[],
  readings: number,
) {
  const env = runEnv(n);
  const run = loadConfig({ ...process.env, ...env });
  await influx.ensureBucket({
    name: run.influx.buckets.readings,
    retentionSeconds: 6 * 366 * 86_400,
  });
  await applyContracts(run);
  const ports = await Promise.all(COUNTS.slice(0, n).map(() => freePort()));
  const workers = ports.map((port) =>
    runWorkerProcess(root, { ...env, LUKEMA_INGEST_METRICS_PORT: String(port) }, [
      '--max-old-space-size=256',
      '--max-semi-space-size=16',
      '--heap-growing-percent=100',
    ]),
  );
  try {
    await groupSettled(run.ingest.group, n);
    // Timed from the first push sent to the last one committed.
    const tStart = performance.now();
    for (let i = 0; i < pushes.length; i += 2000) {
      await producer.send(run.kafka.topics.readings, pushes.slice(i, i + 2000));
    }
    while ((await admin.lag(run.ingest.group, run.kafka.topics.readings)) > 0) await sleep(100);
    const seconds = (performance.now() - tStart) / 1000;
    const held = await heldPartitions(run.ingest.group, run.kafka.topics.readings);
    const stored = await Promise.all(ports.map(workerStored));
    const rate = readings / seconds;
    say(
      `${n} worker${n > 1 ? 's' : ''}: ${fmt(readings)} readings in ${seconds.toFixed(1)} s = ${fmt(rate)} readings/s; partitions held: ${held.map((p) => `[${p.join(',')}]`).join(' ')}; points written per worker: ${stored.map(fmt).join(' / ')}`,
    );
    return { rate, held };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

try {
  await admin.ensureTopics(topics.map((topic) => ({ topic, partitions: config.kafka.partitions })));
  const fromMs = Date.UTC(2026, 9, 1);
  const sites = simulatedPopulation(POINTS, 7);
  const contracts = simulatedContracts(sites, {
    fromMs,
    toMs: fromMs + DAYS * 86_400_000,
    moveShare: 0.05,
    vacancyShare: 0,
    seed: 7,
  });
  await producer.send(t.contracts, contractMessages(contracts));
  let readings = 0;
  const pushes: Array<{ key: string; value: Buffer }> = [];
  for (const m of simulate(new IntervalBatchCodec(), {
    sites,
    fromMs,
    toMs: fromMs + DAYS * 86_400_000,
    badShare: 0.005,
    lateShare: 0.02,
    seed: 7,
  })) {
    pushes.push({ key: m.key as string, value: m.value as Buffer });
    readings += m.readings;
  }
  await groupAdmin.connect();
  say(
    `simulated ${fmt(readings)} readings in ${fmt(pushes.length)} pushes for ${fmt(POINTS)} metering points on ${config.kafka.partitions} partitions`,
  );
  const results = [];
  for (const n of COUNTS) results.push(await runWorkers(n, pushes, readings));
  console.log(
    `${results.map((r, i) => `workers_${i + 1}_per_s=${Math.round(r.rate)} workers_${i + 1}_partitions=${r.held.map((p) => p.join('+')).join('/')}`).join(' ')} partitions=${config.kafka.partitions} readings=${readings}`,
  );
} finally {
  await producer.close();
  await admin.deleteTopics(topics).catch(() => undefined);
  await admin.close();
  await groupAdmin.disconnect();
  for (const n of COUNTS) await influx.deleteBucket(`${id}-${n}`).catch(() => undefined);
  const redis = createRedis(redisConnection(config));
  const keys = await redis.keys(`bench:${id}:*`).catch(() => [] as string[]);
  if (keys.length > 0) await redis.del(...keys).catch(() => undefined);
  redis.disconnect();
}

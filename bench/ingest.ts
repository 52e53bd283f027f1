/**
 * `npm run bench`: end-to-end ingest throughput on the local stack, against the ceilings of
 * Kafka and InfluxDB on this machine and a naive pipeline on the same data. Prints figures;
 * the last line is key=value pairs for comparing runs.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { formatKeyring } from '@lukema/core';
import {
  contractMessages,
  simulate,
  simulatedContracts,
  simulatedPopulation,
} from '@lukema/headend-sim';
import {
  createKafka,
  createLogger,
  InfluxClientAdapter,
  KafkajsProducer,
  KafkajsTopicAdmin,
  loadConfig,
  readInfluxToken,
} from '@lukema/platform';
import { createRegistry } from '@lukema/registry';
import { IntervalBatchCodec } from '@lukema/schemas';
import { kafkaConsumeCeiling, layoutCeilings } from './ceilings.js';
import { fmt } from './format.js';
import { leanPipeline } from './lean.js';
import { type CpuSnapshot, MachineCpu } from './machine-cpu.js';
import { naivePipeline } from './naive.js';
import { runWorkerProcess } from './worker-process.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const POINTS = Number(process.env.BENCH_POINTS ?? 3500);
const DAYS = Number(process.env.BENCH_DAYS ?? 3.5);
/** Rounds of both layouts' ceilings (alternating which goes first); each figure is its best. */
const CEILING_ROUNDS = Number(process.env.BENCH_CEILING_ROUNDS ?? 3);
const NATIONAL_PUSH = 3_800_000 * 24;
const say = (s: string) => console.log(`[bench] ${s}`);

const id = `bench-${randomBytes(3).toString('hex')}`;
const operator = readInfluxToken(loadConfig(process.env), 'operator');
const env: Record<string, string> = {
  LUKEMA_TOPIC_READINGS: `${id}.readings`,
  LUKEMA_TOPIC_DEAD_LETTER: `${id}.dead-letter`,
  LUKEMA_TOPIC_CONTRACTS: `${id}.contracts`,
  LUKEMA_TOPIC_CONTRACTS_DEAD_LETTER: `${id}.contracts-dead-letter`,
  LUKEMA_TOPIC_CUSTOMER_KEYS: `${id}.customer-keys`,
  LUKEMA_INGEST_GROUP: `${id}.ingest`,
  LUKEMA_REGISTRY_GROUP: `${id}.registry`,
  LUKEMA_REDIS_PREFIX: `bench:${id}`,
  LUKEMA_INFLUX_BUCKET_READINGS: id,
  LUKEMA_INFLUX_TOKEN: operator,
  LUKEMA_KEYRING: formatKeyring({ current: 'k1', keys: new Map([['k1', randomBytes(32)]]) }),
  LUKEMA_LOG_LEVEL: 'warn',
};
const config = loadConfig({ ...process.env, ...env });
const logger = createLogger({ level: 'warn', name: 'bench' });
const kafka = createKafka({ ...config.kafka, logger });
const admin = new KafkajsTopicAdmin(kafka);
const producer = new KafkajsProducer(kafka);
const influx = new InfluxClientAdapter({
  url: config.influx.url,
  org: config.influx.org,
  token: operator,
  // The ceilings are measured with the requests the worker sends.
  writeGzipLevel: config.influx.writeGzipLevel,
});
/** InfluxDB's CPU time so far (ms), from the pid file its infra script keeps. */
const engines = new MachineCpu();
const influxCpuMs = () => engines.engineCpuMs('influxdb');
/**
 * Waits (at most a minute) until InfluxDB uses less than a tenth of a core over a second:
 * its compactions of what was just written are done. Returns the seconds waited.
 */
async function influxQuiet(): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < 60_000) {
    const before = influxCpuMs();
    await new Promise((r) => setTimeout(r, 1_000));
    if (influxCpuMs() - before < 100) break;
  }
  return (performance.now() - t0) / 1000;
}

const t = config.kafka.topics;
const topics = [t.readings, t.deadLetter, t.contracts, t.contractsDeadLetter, t.customerKeys];
// The ceilings make (and drop) a bucket per run, named after `${id}-ceiling`/`${id}-minimal`.
const buckets = [id, `${id}-naive`, `${id}-lean`];

try {
  await admin.ensureTopics(topics.map((topic) => ({ topic, partitions: config.kafka.partitions })));
  for (const name of buckets)
    await influx.ensureBucket({ name, retentionSeconds: 6 * 366 * 86_400 });

  // A realistic population: thousands of metering points, moves, a small share of bad data.
  const fromMs = Date.UTC(2026, 9, 1);
  const sites = simulatedPopulation(POINTS, 42);
  const contracts = simulatedContracts(sites, {
    fromMs,
    toMs: fromMs + DAYS * 86_400_000,
    moveShare: 0.05,
    vacancyShare: 0,
    seed: 42,
  });
  let messages = 0;
  let readings = 0;
  const tp = performance.now();
  let chunk: Array<{ key: string; value: Buffer }> = [];
  for (const m of simulate(new IntervalBatchCodec(), {
    sites,
    fromMs,
    toMs: fromMs + DAYS * 86_400_000,
    badShare: 0.005,
    lateShare: 0.02,
    seed: 42,
  })) {
    chunk.push({ key: m.key as string, value: m.value as Buffer });
    messages++;
    readings += m.readings;
    if (chunk.length === 2000) {
      await producer.send(t.readings, chunk);
      chunk = [];
    }
  }
  await producer.send(t.readings, chunk);
  say(
    `produced ${fmt(readings)} readings in ${fmt(messages)} pushes for ${fmt(POINTS)} metering points in ${((performance.now() - tp) / 1000).toFixed(1)} s`,
  );

  await producer.send(t.contracts, contractMessages(contracts));
  const registry = createRegistry(config, logger);
  await registry.start();
  while ((await admin.lag(config.registry.group, t.contracts)) > 0)
    await new Promise((r) => setTimeout(r, 200));
  await registry.stop();
  say(`registry: ${fmt(contracts.length)} contracts applied`);

  const perMessage = readings / messages;
  const kafkaMsgs = kafkaConsumeCeiling(root, config, t.readings, messages);
  const kafkaCeiling = kafkaMsgs * perMessage;
  say(`kafka consume ceiling: ${fmt(kafkaMsgs)} messages/s = ${fmt(kafkaCeiling)} readings/s`);

  const ceilings = await layoutCeilings(
    influx,
    { lukema: `${id}-ceiling`, minimal: `${id}-minimal` },
    1_000_000,
    CEILING_ROUNDS,
    influxCpuMs,
  );
  const perConcurrency = (layout: 'lukema' | 'minimal') =>
    [...ceilings.samples[layout]]
      .map(([c, vs]) => `${c} in flight ${vs.map((v) => `${fmt(v)}/s`).join(' / ')}`)
      .join(', ');
  const influxCeiling = Math.max(...ceilings.best.lukema.values());
  say(`influx write ceiling, Lukema's layout (rounds): ${perConcurrency('lukema')}`);
  const minimalCeiling = Math.max(...ceilings.best.minimal.values());
  say(`influx write ceiling, minimal layout (rounds): ${perConcurrency('minimal')}`);

  // The ceilings wrote 12 M lines just now (their buckets dropped): InfluxDB is left to
  // finish with them before the pipeline is timed (its CPU is measured in that window).
  const settled = await influxQuiet();
  say(`InfluxDB quiet after the ceilings in ${settled.toFixed(1)} s`);

  // The pipeline: the real worker process, timed from its first commit to an empty lag.
  const worker = runWorkerProcess(
    root,
    env,
    // As deployed (services/ingest's start script).
    (
      process.env.BENCH_WORKER_NODE_OPTIONS ??
      '--max-old-space-size=256 --max-semi-space-size=16 --heap-growing-percent=100'
    )
      .split(' ')
      .filter(Boolean),
  );
  const machine = new MachineCpu({ worker: worker.cpuMs });
  let startLag = messages;
  let tStart = 0;
  let cpuStart = 0;
  let machineStart: CpuSnapshot | undefined;
  while (tStart === 0) {
    const lag = await admin.lag(config.ingest.group, t.readings);
    if (lag < messages) {
      tStart = performance.now();
      cpuStart = worker.cpuMs();
      machineStart = machine.snapshot();
      startLag = lag;
    } else await new Promise((r) => setTimeout(r, 20));
  }
  let rss = 0;
  for (;;) {
    rss = Math.max(rss, worker.peakRssMb());
    if ((await admin.lag(config.ingest.group, t.readings)) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - tStart) / 1000;
  const machineEnd = machine.snapshot();
  rss = Math.max(rss, worker.peakRssMb());
  // The worker's own CPU per reading: what it leaves of the cores to Kafka and InfluxDB.
  const workerCpuUs = ((worker.cpuMs() - cpuStart) * 1000) / (startLag * perMessage);
  await worker.stop();
  const pipeline = (startLag * perMessage) / seconds;
  say(
    `pipeline (validation, attachment, pseudonymization on): ${fmt(startLag * perMessage)} readings in ${seconds.toFixed(1)} s = ${fmt(pipeline)} readings/s, worker peak RSS ${rss.toFixed(0)} MB, worker CPU ${workerCpuUs.toFixed(2)} µs a reading`,
  );

  // Where the machine's CPU went meanwhile, per reading: with both cores busy, readings/s is
  // about the cores over the sum, and InfluxDB's share is what the minimal ceiling measures.
  const cpu = MachineCpu.between(
    machineStart ?? machineEnd,
    machineEnd,
    startLag * perMessage,
  ) as Record<string, number>;
  const us = (k: string) => (cpu[k] ?? 0).toFixed(2);
  const influxMinimalUs = ceilings.cpuUsAtBest.minimal;
  const cpuBound = influxMinimalUs / (cpu.machine ?? Number.POSITIVE_INFINITY);
  say(
    `machine CPU while the pipeline ran, µs a reading: InfluxDB ${us('influxdb')}, worker ${us('worker')}, Kafka ${us('kafka')}, Redis ${us('redis')}, other (kernel, bench) ${us('other')}; all ${us('machine')}, cores idle ${((cpu.idle_share ?? 0) * 100).toFixed(0)} %, stolen by the host ${((cpu.steal_share ?? 0) * 100).toFixed(0)} %`,
  );
  say(
    `InfluxDB alone at its ceiling, µs a reading: minimal layout ${influxMinimalUs.toFixed(2)}, Lukema's ${ceilings.cpuUsAtBest.lukema.toFixed(2)}; a pipeline costing the machine ${us('machine')} µs a reading can reach about ${cpuBound.toFixed(2)} of the minimal ceiling`,
  );

  await influxQuiet(); // the same start for the lean pipeline
  const lean = await leanPipeline(config, logger, influx, t.readings, `${id}-lean`, messages);
  say(
    `lean pipeline (eachBatch, HMAC pseudonym, lean layout, no validation or attachment): ${fmt(lean)} readings/s; the product ${((pipeline / lean) * 100).toFixed(0)} % of it`,
  );

  const naive = await naivePipeline(config, logger, influx, t.readings, `${id}-naive`, 20);
  say(`naive pipeline (eachMessage, one write per message): ${fmt(naive)} readings/s`);

  const lower = Math.min(kafkaCeiling, influxCeiling);
  say(
    `pipeline = ${((pipeline / lower) * 100).toFixed(0)} % of the lower ceiling, ${(pipeline / naive).toFixed(1)}x the naive pipeline`,
  );
  say(
    `one national 6-hour push (3.8 M points x 24 = ${fmt(NATIONAL_PUSH)} readings) would take ${(NATIONAL_PUSH / pipeline / 60).toFixed(1)} min here`,
  );
  console.log(
    `readings_per_s=${Math.round(pipeline)} kafka_ceiling_per_s=${Math.round(kafkaCeiling)} influx_ceiling_per_s=${Math.round(influxCeiling)} naive_per_s=${Math.round(naive)} ratio_to_ceiling=${(pipeline / lower).toFixed(2)} ratio_to_naive=${(pipeline / naive).toFixed(1)} minimal_ceiling_per_s=${Math.round(minimalCeiling)} layout_ratio=${(influxCeiling / minimalCeiling).toFixed(2)} ratio_to_minimal=${(pipeline / minimalCeiling).toFixed(2)} worker_rss_mb=${rss.toFixed(0)} worker_cpu_us=${workerCpuUs.toFixed(2)} lean_per_s=${Math.round(lean)} ratio_to_lean=${(pipeline / lean).toFixed(2)} lean_ratio_to_minimal=${(lean / minimalCeiling).toFixed(2)} influx_cpu_us=${us('influxdb')} kafka_cpu_us=${us('kafka')} redis_cpu_us=${us('redis')} other_cpu_us=${us('other')} machine_cpu_us=${us('machine')} idle_share=${(cpu.idle_share ?? 0).toFixed(2)} steal_share=${(cpu.steal_share ?? 0).toFixed(2)} influx_minimal_cpu_us=${influxMinimalUs.toFixed(2)} influx_lukema_cpu_us=${ceilings.cpuUsAtBest.lukema.toFixed(2)} cpu_bound_ratio=${cpuBound.toFixed(2)} readings=${Math.round(startLag * perMessage)}`,
  );
} finally {
  await producer.close();
  await admin.deleteTopics(topics).catch(() => undefined);
  await admin.close();
  for (const name of buckets) await influx.deleteBucket(name).catch(() => undefined);
}

import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type Config, createKafka, KafkajsTopicAdmin, type Logger } from '@lukema/platform';
import { type ServiceSpec, type SupervisedChild, superviseChild } from './children.js';
import { recordPid } from './pid-file.js';
import { progressLine } from './progress.js';
import { type StatusSample, statusLine } from './status.js';

export interface SupervisorOptions {
  /** The clone's root: services run from there. */
  readonly root: string;
  readonly logDir: string;
  readonly runDir: string;
  readonly workers: number;
  /** The Prometheus targets file to write (file_sd), naming every service started. */
  readonly targetsFile: string;
  /** Passed to the head-end simulator's `feed`. */
  readonly feedArgs: readonly string[];
}

const tsx = (file: string, ...args: string[]) => ['--import', 'tsx', file, ...args];

/** Every process `npm start` runs, in start order. */
export function serviceSpecs(config: Config, options: SupervisorOptions): ServiceSpec[] {
  // Several workers on one host each take the next port after the configured one.
  const workers = Array.from({ length: options.workers }, (_, i) => ({
    name: options.workers === 1 ? 'ingest' : `ingest-${i + 1}`,
    // The heap flags as in services/ingest's start script (README, *Benchmark*).
    args: [
      '--max-old-space-size=256',
      '--max-semi-space-size=16',
      '--heap-growing-percent=100',
      ...tsx('services/ingest/src/main.ts'),
    ],
    opsPort: config.ops.ingestPort + i,
    env: { LUKEMA_INGEST_METRICS_PORT: String(config.ops.ingestPort + i) },
  }));
  return [
    {
      name: 'registry',
      args: tsx('services/registry/src/main.ts'),
      opsPort: config.ops.registryPort,
    },
    ...workers,
    {
      name: 'api',
      args: tsx('services/api/src/main.ts'),
      opsPort: config.api.port,
      // The console's operations page asks every service started here, each worker too.
      env: {
        LUKEMA_HEALTH_URLS: [
          `api=http://127.0.0.1:${config.api.port}`,
          `registry=http://127.0.0.1:${config.ops.registryPort}`,
          ...workers.map((w) => `${w.name}=http://127.0.0.1:${w.opsPort}`),
        ].join(','),
      },
    },
    // The rollups (hourly and daily aggregates the analysts read) have no HTTP port yet.
    { name: 'rollup', args: tsx('services/rollup/src/main.ts') },
    // Last, so that it is stopped first.
    {
      name: 'headend-sim',
      args: tsx('services/headend-sim/src/cli.ts', 'feed', ...options.feedArgs),
    },
  ];
}

/**
 * Runs every Lukema service and the simulated head-end as child processes until SIGINT or
 * SIGTERM, with a live status line; then stops the feed first, the services after it, and
 * resolves once every child has exited.
 */
export async function runSupervisor(
  config: Config,
  logger: Logger,
  options: SupervisorOptions,
): Promise<void> {
  recordPid(config.dataDir, 'local', options.runDir);
  const say = (line: string) => status.print(line);
  const sim = { produced: 0, phase: 'starting' };
  const children: SupervisedChild[] = [];
  const dirs = { root: options.root, logDir: options.logDir, runDir: options.runDir };
  const admin = new KafkajsTopicAdmin(createKafka({ ...config.kafka, logger }));
  let deadLetteredAtStart: number | null = null;
  let previous: StatusSample | undefined;
  let latest = '';

  const sample = async (): Promise<StatusSample> => {
    const [ready, workerCounts, lag, deadLetters] = await Promise.all([
      Promise.all(specs.map((s) => (s.opsPort ? readyAt(s.opsPort) : Promise.resolve(false)))),
      Promise.all(
        specs
          .filter((s) => s.name.startsWith('ingest'))
          .map((s) => (s.opsPort ? ingestCounts(s.opsPort) : Promise.resolve(null))),
      ),
      admin.lag(config.ingest.group, config.kafka.topics.readings).catch(() => null),
      admin
        .endOffsets(config.kafka.topics.deadLetter)
        .then((ends) => [...ends.values()].reduce((a, b) => a + Number(b), 0))
        .catch(() => null),
    ]);
    deadLetteredAtStart ??= deadLetters;
    return {
      atMs: Date.now(),
      produced: sim.produced,
      phase: sim.phase,
      lag,
      stored: sumOrNull(workerCounts.map((c) => c?.stored ?? null)),
      parked: sumOrNull(workerCounts.map((c) => c?.parked ?? null)),
      deadLettered:
        deadLetters === null || deadLetteredAtStart === null
          ? null
          : deadLetters - deadLetteredAtStart,
      // The head-end feed has no endpoint: it counts as ready while it runs.
      ready:
        ready.filter(Boolean).length +
        specs.filter((s) => !s.opsPort && children.find((c) => c.name === s.name)?.pid()).length,
      services: specs.length,
    };
  };
  let sampling = false;
  const refresh = () => {
    if (sampling) return;
    sampling = true;
    void sample()
      .then((s) => {
        latest = statusLine(s, previous);
        previous = s;
      })
      .finally(() => {
        sampling = false;
      });
  };
  const status = progressLine(() => latest, 1000, refresh);

  const specs = serviceSpecs(config, options);
  for (const spec of specs) {
    children.push(
      superviseChild(spec, dirs, {
        onExit(name, code, signal, restartInMs) {
          if (restartInMs >= 0)
            say(
              `${name} exited (${signal ?? `code ${code}`}); restarting in ${restartInMs / 1000} s`,
            );
          else if (code !== 0 && signal !== null) say(`${name} ended by ${signal}`);
        },
        onMessage(_name, message) {
          const m = message as { kind?: string; readings?: number; phase?: string };
          if (m.kind !== 'headend-sim') return;
          sim.produced = m.readings ?? sim.produced;
          sim.phase = m.phase ?? sim.phase;
        },
      }),
    );
    say(`started ${spec.name} (pid ${children.at(-1)?.pid()})`);
  }
  say(`rights API   http://127.0.0.1:${config.api.port}  (npm run rights -- token create --help)`);
  say(
    `DPO console  http://127.0.0.1:${config.api.port}/console  (sign in with a dpo token: npm run rights -- token create …)`,
  );
  void demoCustomerLinks(options.root).then((links) => {
    for (const [customer, link] of links) say(`customer ${customer}  ${link}  (one-time, 15 min)`);
    if (links.length > 0)
      say('more links: npm run customer-link -w @lukema/api -- <customer number>');
  });
  writeTargets(options.targetsFile, specs);
  say(`prometheus   ${config.ops.prometheusUrl}/alerts  (scraping ${options.targetsFile})`);
  say(
    `metrics      ${specs
      .filter((s) => s.opsPort)
      .map((s) => `${s.name} http://127.0.0.1:${s.opsPort}/metrics`)
      .join(', ')}`,
  );
  say(`logs         ${options.logDir}/<service>.log (JSON, one line per event)`);
  say('Ctrl-C stops the services (the engines stay up); `npm stop` stops the engines too');

  // `on`, not `once`: npm passes Ctrl-C on to its script as well, and a second SIGINT must
  // not kill the supervisor halfway through stopping its services.
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve());
  });
  say('stopping: the head-end feed first, then the services');
  const [feed, ...services] = [...children].reverse();
  await feed?.stop();
  await Promise.all(services.map((c) => c.stop()));
  await admin.close();
  status.stop();
  console.log(`stopped; logs are in ${options.logDir}`);
}

/** Tells Prometheus (file_sd) where each service serves its metrics. */
function writeTargets(file: string, specs: readonly ServiceSpec[]) {
  const targets = specs
    .filter((s) => s.opsPort)
    .map((s) => ({
      targets: [`127.0.0.1:${s.opsPort}`],
      labels: { service: s.name.replace(/-\d+$/, ''), process: s.name },
    }));
  mkdirSync(dirname(file), { recursive: true });
  // Written whole and renamed: Prometheus never reads half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(targets, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Whether a service's `/readyz` says 200 within a second. */
async function readyAt(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
    signal: AbortSignal.timeout(1500),
  }).catch(() => null);
  return res?.status === 200;
}

/** A worker's stored and parked readings, from its metrics; null when it does not answer. */
async function ingestCounts(port: number): Promise<{ stored: number; parked: number } | null> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
    signal: AbortSignal.timeout(1500),
  }).catch(() => null);
  if (res?.status !== 200) return null;
  const text = await res.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    stored: value('lukema_ingest_readings_stored_total'),
    parked: value('lukema_ingest_readings_parked_total'),
  };
}

const sumOrNull = (values: (number | null)[]) =>
  values.some((v) => v !== null) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null;

/** The log and run folders `npm start` uses by default. */
export const defaultDirs = (root: string, dataDir: string) => ({
  logDir: join(root, 'logs'),
  runDir: join(dataDir, 'run'),
});

/** Demo customers of the simulated population: the first occupants of its first sites. */
const DEMO_CUSTOMERS = ['100000', '100002', '100004'];

/**
 * One-time sign-in links to the demo customers' own pages, minted by the API's own command
 * (the supervisor imports no service). A failure only leaves the links out.
 */
async function demoCustomerLinks(root: string): Promise<Array<[string, string]>> {
  const run = promisify(execFile);
  const links: Array<[string, string]> = [];
  for (const customer of DEMO_CUSTOMERS) {
    try {
      const { stdout } = await run(
        process.execPath,
        tsx('services/api/src/console/sign-in-link-cli.ts', customer),
        { cwd: root, timeout: 30_000 },
      );
      links.push([customer, stdout.trim()]);
    } catch {
      // The API's Redis is not up yet, or the command failed: no link for this one.
    }
  }
  return links;
}

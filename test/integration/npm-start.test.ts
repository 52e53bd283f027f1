import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { topicCount } from '../support/store-queries.js';
import { alive, recordedPids, startSupervisor } from '../support/supervisor.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = ['api', 'headend-sim', 'ingest', 'local', 'registry', 'rollup'];
/**
 * The ingest worker's heap as measured in `npm run bench` (README, *Benchmark*): V8's default
 * growth under a 256 MB cap ran a full collection every second scavenge.
 */
const INGEST_HEAP_FLAGS = [
  '--max-old-space-size=256',
  '--max-semi-space-size=16',
  '--heap-growing-percent=100',
];

describe('`npm start` runs the whole product until Ctrl-C', () => {
  let stack: TestStack;
  const scratch = mkdtempSync(join(tmpdir(), 'lukema-start-'));
  const runDir = join(scratch, 'run');
  const logDir = join(scratch, 'logs');
  beforeAll(async () => {
    stack = await createTestStack('npm-start');
  });
  afterAll(async () => {
    // Whatever a failed run left behind, by the ids it recorded.
    for (const pid of recordedPids(runDir).values()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
    await stack.close();
  });

  /** `npm start`'s supervisor over the test stack on free ports, once every service has a pid. */
  async function startDemo(points: number) {
    const apiPort = await freePort();
    const ingestPort = await freePort();
    const run = startSupervisor(
      [
        '--points',
        String(points),
        '--days',
        '1',
        '--every',
        '1',
        '--logs',
        logDir,
        '--run-dir',
        runDir,
        '--targets',
        join(scratch, 'targets.json'),
      ],
      {
        ...stack.env,
        LUKEMA_API_PORT: String(apiPort),
        LUKEMA_INGEST_METRICS_PORT: String(ingestPort),
        LUKEMA_REGISTRY_METRICS_PORT: String(await freePort()),
      },
    );
    let pids = new Map<string, number>();
    try {
      await waitFor('every service recorded its process id', () => {
        pids = recordedPids(runDir);
        return SERVICES.every((s) => pids.has(s));
      });
    } catch (error) {
      run.child.kill('SIGKILL');
      throw error;
    }
    return { run, apiPort, ingestPort, pids };
  }

  it('starts every service and the feed, stores the backlog and live pushes, and Ctrl-C leaves no process', async () => {
    const { run, apiPort, ingestPort, pids } = await startDemo(40);
    try {
      expect(pids.get('local')).toBe(run.child.pid);
      const ingestArgs = readFileSync(`/proc/${pids.get('ingest')}/cmdline`, 'utf8').split('\0');
      expect(ingestArgs).toEqual(expect.arrayContaining(INGEST_HEAP_FLAGS));
      await waitFor('the rights API answers', async () => {
        const res = await fetch(`http://127.0.0.1:${apiPort}/health`).catch(() => null);
        return res?.status === 200;
      });
      await waitFor('the feed has gone live', () => run.output().includes('head-end live'), {
        timeoutMs: 120_000,
      });
      const produced = await topicCount(stack, stack.config.kafka.topics.readings);
      await waitFor(
        'the ingest group has consumed the backlog',
        async () => (await stack.lag()) === 0,
        {
          timeoutMs: 120_000,
        },
      );
      await waitFor(
        'live pushes keep arriving',
        async () => (await topicCount(stack, stack.config.kafka.topics.readings)) > produced,
      );
      await waitFor('every service is ready', () => run.output().includes('5/5 ready'));
      const metrics = await (await fetch(`http://127.0.0.1:${ingestPort}/metrics`)).text();
      expect(metrics).toMatch(/^lukema_ingest_readings_stored_total [1-9]/m);
      const stored = await stack.influx.rows<{ _value: number }>(
        `${stack.from()} |> filter(fn: (r) => r._measurement == "energy" and r._field == "kwh") |> group() |> count()`,
      );
      expect(stored[0]?._value ?? 0).toBeGreaterThan(0);

      run.child.kill('SIGINT');
      expect(await run.exited).toEqual({ code: 0, signal: null });
      console.log(`npm start (${stored[0]?._value} readings stored):\n${run.output().trim()}`);
      for (const [name, pid] of pids) expect(alive(pid), `${name} (pid ${pid})`).toBe(false);
      expect(readdirSync(runDir)).toEqual([]);
      expect(readdirSync(logDir).sort()).toEqual(SERVICES.map((s) => `${s}.log`));
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 300_000);

  it('the ingest worker gets the same heap flags however it is started', () => {
    const start = JSON.parse(readFileSync(join(root, 'services/ingest/package.json'), 'utf8'))
      .scripts.start as string;
    const image = readFileSync(join(root, 'infra/docker/entrypoint.sh'), 'utf8');
    const imageIngest = image.split('\n').find((l) => l.trim().startsWith('ingest)')) ?? '';
    for (const flag of INGEST_HEAP_FLAGS) {
      expect(start.split(' ')).toContain(flag);
      expect(imageIngest.split(' ')).toContain(flag);
    }
  });

  it('`npm stop` stops the supervisor first, so no service is restarted, then every recorded process', async () => {
    const { run, pids } = await startDemo(20);
    try {
      // LUKEMA_DATA is the folder holding the run folder; it has no engines to stop.
      const stop = await new Promise<{ code: number; output: string }>((resolve) =>
        execFile(
          'bash',
          ['infra/stop.sh'],
          { cwd: root, env: { ...process.env, LUKEMA_DATA: scratch } },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
        ),
      );
      console.log(`npm stop (exit ${stop.code}):\n${stop.output.trim()}`);
      expect(stop.code).toBe(0);
      expect(await run.exited).toEqual({ code: 0, signal: null });
      expect(run.output()).not.toContain('restarting');
      for (const [name, pid] of pids) expect(alive(pid), `${name} (pid ${pid})`).toBe(false);
      expect(readdirSync(runDir)).toEqual([]);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 300_000);
});

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRightsApi } from '@lukema/api';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { redisConnection } from '@lukema/platform';
import { IntervalBatchCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContract } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const WINDOW = Date.UTC(2026, 3, 1);
const mp = simulatedGsrn(1010);

/** Runs a command to its end, with its output. */
function run(command: string, args: string[], env: Record<string, string>, cwd = root) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
}

describe('the README commands run from the clone', () => {
  let stack: TestStack;
  const scratch = `.tmp-local-commands-${process.pid}`;
  beforeAll(async () => {
    stack = await createTestStack('local-cmd');
  });
  afterAll(async () => {
    rmSync(join(root, scratch), { recursive: true, force: true });
    await stack.close();
  });

  it('`npm run rights -- export start --customer N --download ./dir` writes into the caller’s folder, creating it', async () => {
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages([openContract(mp, '101010', '2026-01-01')]),
    );
    const pipeline = await startPipeline(stack);
    const api = createRightsApi(stack.config, stack.logger);
    try {
      const address = await api.start(0);
      const port = typeof address === 'object' && address ? address.port : 0;
      const token = await api.tokens.create('dpo-cli', 'dpo', ['access_request']);
      await stack.contractsApplied();
      await stack.producer.send(stack.config.kafka.topics.readings, [
        {
          key: mp,
          value: new IntervalBatchCodec().encode({
            messageId: 'cli-1',
            headEndId: 'he',
            meteringPointId: mp,
            direction: 'consumption',
            resolution: 'PT15M',
            sentAtMs: WINDOW + 6 * 3_600_000,
            dataStatus: 'preliminary',
            intervals: Array.from({ length: 24 }, (_, i) => ({
              startMs: WINDOW + i * 900_000,
              quantityWh: 100 + i,
              flags: [],
            })),
          }),
        },
      ]);
      await waitFor('readings committed', async () => (await stack.lag()) === 0);

      const target = `./${scratch}/export`;
      const result = await run(
        'npm',
        ['run', 'rights', '--', 'export', 'start', '--customer', '101010', '--download', target],
        {
          ...stack.env,
          LUKEMA_API_URL: `http://127.0.0.1:${port}`,
          LUKEMA_API_TOKEN: token,
        },
      );
      console.log(`rights CLI (exit ${result.code}):\n${result.output.trim()}`);
      expect(result.code).toBe(0);
      const dir = join(root, scratch, 'export');
      expect(readdirSync(dir).sort()).toEqual([
        'access-export.csv',
        'access-export.json',
        'access-report.html',
      ]);
      expect(readFileSync(join(dir, 'access-export.csv'), 'utf8')).toContain(mp);
      // Nothing landed where npm runs the script.
      expect(existsSync(join(root, 'services', 'api', scratch))).toBe(false);
    } finally {
      await api.stop();
      await pipeline.stop();
    }
  }, 120_000);

  it('`npm stop` stops what `npm start` recorded, and leaves processes of the same name alone', async () => {
    const data = mkdtempSync(join(tmpdir(), 'lukema-stop-'));
    // Someone else's worker on the same host: a name the old `pkill -f` pattern matched.
    const decoy: ChildProcess = spawn('sleep', ['600'], { argv0: 'lukema-ingest-elsewhere' });
    const demo = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'services/local/src/main.ts',
        '--once',
        '--points',
        '200',
        '--days',
        '60',
      ],
      {
        cwd: root,
        // The engines' secrets stay where the stack keeps them; only the run folder moves.
        env: {
          ...process.env,
          ...stack.env,
          LUKEMA_DATA: data,
          ...redisPasswordEnv(stack),
        },
        stdio: 'ignore',
      },
    );
    const demoExited = new Promise<number | null>((resolve) =>
      demo.once('exit', (code) => resolve(code)),
    );
    try {
      const pidFile = join(data, 'run', 'local-demo.pid');
      await waitFor('the demo recorded its process id', () => existsSync(pidFile));
      const recorded = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      expect(recorded).toBe(demo.pid);
      // LUKEMA_DATA points at a folder without engines: `stack.sh down` finds none to stop.
      const stop = await run('bash', ['infra/stop.sh'], { ...stack.env, LUKEMA_DATA: data });
      console.log(`npm stop (exit ${stop.code}):\n${stop.output.trim()}`);
      expect(stop.code).toBe(0);
      expect(await demoExited).toBe(0); // SIGTERM: it finished as on Ctrl-C
      expect(existsSync(pidFile)).toBe(false);
      expect(decoy.exitCode).toBeNull();
      expect(decoy.signalCode).toBeNull();
    } finally {
      demo.kill('SIGKILL');
      decoy.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The stack's Redis password as a variable, for a process whose data folder is elsewhere. */
function redisPasswordEnv(stack: TestStack): Record<string, string> {
  const { password } = redisConnection(stack.config);
  return password === undefined ? {} : { LUKEMA_REDIS_PASSWORD: password };
}

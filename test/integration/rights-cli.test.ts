import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRightsApi } from '@lukema/api';
import { identityCodeHash, identityCodeProblem, identityKeyOf } from '@lukema/core';
import { IoredisRegistryStore } from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const cli = `${root}services/api/src/cli.ts`;
const CODE = '010190-123M';
const CUSTOMER = '100001';

/** Runs a child to its end, collecting its output. */
function finished(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { done, stdout: () => stdout };
}

describe('the rights CLI never takes an identity code from the command line', () => {
  let stack: TestStack;
  let api: ReturnType<typeof createRightsApi>;
  let env: NodeJS.ProcessEnv;

  /** The customer an access request started by the CLI resolved to (the job's data). */
  const requestedCustomer = async (stdout: string) => {
    const requestId = /access request ([0-9a-f]{32})/.exec(stdout)?.[1];
    expect(requestId, stdout).toBeDefined();
    return (await api.exports.status(requestId as string))?.customerId;
  };

  beforeAll(async () => {
    stack = await createTestStack('rights-cli');
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    const port = typeof address === 'object' && address ? address.port : 0;
    const token = await api.tokens.create('dpo-1', 'dpo', ['access_request']);
    expect(identityCodeProblem(CODE)).toBeNull();
    // The registry knows the customer by the keyed hash of their code, as from a contract.
    const registry = new IoredisRegistryStore(
      stack.redis,
      `${stack.config.registry.redisPrefix}:registry`,
    );
    await registry.putIdentity(identityCodeHash(identityKeyOf(stack.keyring), CODE), CUSTOMER);
    env = {
      ...process.env,
      ...stack.env,
      LUKEMA_API_URL: `http://127.0.0.1:${port}`,
      LUKEMA_API_TOKEN: token,
    };
  });

  afterAll(async () => {
    await api.stop();
    await stack.close();
  });

  it('reads the code from standard input (--identity-code-stdin), out of sight of ps', async () => {
    const child = spawn(tsx, [cli, 'export', 'start', '--identity-code-stdin'], { env });
    const run = finished(child);
    // While the CLI waits for the code, no process' command line holds it.
    await waitFor('the CLI to start', () => child.pid !== undefined);
    expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(CODE);
    child.stdin.end(`${CODE}\n`);
    const { code, stdout, stderr } = await run.done;
    expect(code, stderr).toBe(0);
    expect(await requestedCustomer(stdout)).toBe(CUSTOMER);
    expect(stdout + stderr).not.toContain(CODE);
    console.log(
      `[rights-cli] stdin: exit ${code}, ${stdout.trim().split('\n')[0]} -> customer ${CUSTOMER}`,
    );
  });

  it('asks for the code without echo on a terminal (--identity-code)', async () => {
    // `script` gives the CLI a pseudo-terminal; what it shows is the terminal's transcript.
    const command = `'${tsx}' '${cli}' export start --identity-code`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env });
    const run = finished(child);
    await waitFor(
      'the prompt',
      () => run.stdout().includes('personal identity code (not shown):'),
      {
        timeoutMs: 60_000,
      },
    );
    child.stdin.write(`${CODE}\r`);
    const { code, stdout } = await run.done;
    expect(code, stdout).toBe(0);
    expect(stdout).not.toContain(CODE);
    expect(await requestedCustomer(stdout)).toBe(CUSTOMER);
    console.log(`[rights-cli] terminal: exit ${code}, the code was not echoed`);
  });

  it('refuses the code as an argument, and sends nothing', async () => {
    const before = (await api.exports.list()).length;
    for (const args of [['--identity-code', CODE], [`--identity-code=${CODE}`]]) {
      const run = finished(
        spawn(tsx, [cli, 'export', 'start', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
      );
      const { code, stdout, stderr } = await run.done;
      expect(code).toBe(2);
      expect(stdout + stderr).not.toContain(CODE);
    }
    expect(await api.exports.list()).toHaveLength(before);
    console.log('[rights-cli] argv forms: exit 2, no request sent');
  });

  it('records a request by identity code from stdin, verifies, approves and denies with `requests`', async () => {
    const rights = async (args: string[], input?: string) => {
      const child = spawn(tsx, [cli, 'requests', ...args], { env });
      const run = finished(child);
      child.stdin.end(input ?? '');
      const out = await run.done;
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout + out.stderr).not.toContain(CODE);
      return out.stdout;
    };
    const received = await rights(
      ['receive', '--identity-code-stdin', '--channel', 'letter', '--received', '2026-11-30'],
      `${CODE}\n`,
    );
    const id = /access request ([0-9a-f]{32}): identity to verify/.exec(received)?.[1] ?? '';
    expect(id, received).not.toBe('');
    expect(await rights(['list'])).toContain(`"customerId": "${CUSTOMER}"`);
    expect(await rights(['verify', id, '--method', 'signature matches the contract'])).toContain(
      '"state":"new"',
    );
    expect(await rights(['approve', id])).toContain(`"requestId":"${id}"`);
    expect((await api.exports.status(id))?.receivedAt).toBe('2026-11-30T00:00:00.000Z');
    const other = /access request ([0-9a-f]{32})/.exec(
      await rights(['receive', '--customer', CUSTOMER, '--channel', 'email']),
    )?.[1];
    expect(await rights(['deny', other ?? '', '--reason', 'manifestly unfounded'])).toContain(
      '"state":"denied"',
    );
    console.log(`[rights-cli] requests receive → verify → approve (${id.slice(0, 8)}), deny`);
  });
});

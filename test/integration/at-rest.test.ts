import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis, loadConfig, type Redis, redisConnection } from '@lukema/platform';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const config = loadConfig(process.env);
const DATA_FOLDERS = ['kafka', 'influxdb', 'redis', 'secrets'] as const;

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every file and folder under `dir` that group or others may read, write or enter. */
function looseEntries(dir: string): string[] {
  const loose: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    let bits: number;
    try {
      bits = mode(path);
    } catch {
      continue; // an engine removed it meanwhile (a deleted segment)
    }
    if ((bits & 0o077) !== 0) loose.push(`${path} ${bits.toString(8)}`);
    if (entry.isDirectory()) loose.push(...looseEntries(path));
  }
  return loose;
}

/** A failed command's error text, or 'ok'. */
async function outcome(client: Redis, command: () => Promise<unknown>): Promise<string> {
  client.on('error', () => undefined); // the refusal is the expected answer, seen below
  try {
    await command();
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

describe('the local stack at rest', () => {
  it('refuses a Redis connection without the password (NOAUTH), and a wrong one', async () => {
    const anonymous = createRedis({ url: config.redis.url, password: undefined });
    const refused = await outcome(anonymous, () => anonymous.set('lukema:at-rest:probe', 'x'));
    const wrong = createRedis({ url: config.redis.url, password: 'not-the-password' });
    const wrongOutcome = await outcome(wrong, () => wrong.ping());
    const configured = createRedis(redisConnection(config));
    const allowed = await outcome(configured, () => configured.ping());
    console.log(
      `[at-rest] without password: ${refused}; wrong password: ${wrongOutcome}; configured: ${allowed}`,
    );
    expect(refused).toMatch(/NOAUTH/);
    expect(wrongOutcome).toMatch(/WRONGPASS|invalid username-password/);
    expect(allowed).toBe('ok');
  });

  it('keeps the password in the secrets folder, mode 600', () => {
    expect(mode(config.redis.passwordFile)).toBe(0o600);
    expect(readFileSync(config.redis.passwordFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the data folders at 700 and no engine file readable by group or others', () => {
    const modes = Object.fromEntries(
      DATA_FOLDERS.map((f) => [f, mode(join(config.dataDir, f)).toString(8)]),
    );
    const loose = DATA_FOLDERS.flatMap((f) => looseEntries(join(config.dataDir, f)));
    const files = DATA_FOLDERS.reduce(
      (n, f) => n + readdirSync(join(config.dataDir, f), { recursive: true }).length,
      0,
    );
    console.log(
      `[at-rest] folder modes ${JSON.stringify(modes)}; ${files} entries checked, ${loose.length} readable by others${loose.length ? `: ${loose.slice(0, 5).join(', ')}` : ''}`,
    );
    expect(modes).toEqual({ kafka: '700', influxdb: '700', redis: '700', secrets: '700' });
    expect(loose).toEqual([]);
  });

  describe('a Redis that an older script started without a password', () => {
    const data = mkdtempSync(join(tmpdir(), 'lukema-at-rest-'));
    let env: NodeJS.ProcessEnv;

    afterAll(() => {
      execFileSync('bash', ['infra/redis.sh', 'stop'], { cwd: root, env, stdio: 'ignore' });
      rmSync(data, { recursive: true, force: true });
    });

    it('is given a password by infra/redis.sh start, keeping its data', async () => {
      const port = await freePort();
      env = { ...process.env, LUKEMA_DATA: data, REDIS_PORT: String(port) };
      delete env.LUKEMA_REDIS_PASSWORD_FILE;
      const dir = join(data, 'redis');
      mkdirSync(dir, { recursive: true });
      // How infra/redis.sh started Redis before: no password, the caller's umask.
      execFileSync('redis-server', [
        ...['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes'],
        ...['--appendonly', 'yes', '--dir', dir, '--pidfile', join(dir, 'redis.pid')],
        ...['--logfile', join(dir, 'redis.log'), '--save', ''],
      ]);
      const url = `redis://127.0.0.1:${port}`;
      const before = await waitFor('the old Redis', async () => {
        const open = createRedis({ url, password: undefined });
        return (await outcome(open, () => open.set('kept', 'yes'))) === 'ok';
      });
      expect(before).toBe(true);

      execFileSync('bash', ['infra/redis.sh', 'start'], { cwd: root, env, stdio: 'ignore' });

      const passwordFile = join(data, 'secrets', 'redis-password');
      const password = readFileSync(passwordFile, 'utf8').trim();
      const anonymous = createRedis({ url, password: undefined });
      const refused = await outcome(anonymous, () => anonymous.get('kept'));
      const authed = createRedis({ url, password });
      let kept: string | null = null;
      const allowed = await outcome(authed, async () => {
        kept = await authed.get('kept');
      });
      console.log(
        `[at-rest] upgraded Redis: without password ${refused}; with it ${allowed}, key kept=${kept}; password file ${mode(passwordFile).toString(8)}, redis folder ${mode(dir).toString(8)}`,
      );
      expect(refused).toMatch(/NOAUTH/);
      expect(allowed).toBe('ok');
      expect(kept).toBe('yes');
      expect(mode(passwordFile)).toBe(0o600);
      expect(mode(dir)).toBe(0o700);
      expect(looseEntries(dir)).toEqual([]);
    });
  });
});

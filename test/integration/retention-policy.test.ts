import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportFolder, keepMsOf, redisKeys, retentionRules } from '@lukema/platform';
import { topicPlan } from '@lukema/provision/plan';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** The export folders of the stack's queue, where the API writes and sweeps them. */
const exportsOf = (stack: TestStack) =>
  exportFolder(
    stack.config.api.exportDir,
    redisKeys(stack.config.registry.redisPrefix).exportQueue,
  );

describe('retention as code: the policy file against the real buckets, topics and keys', () => {
  let stack: TestStack;
  const rollups = `t-retention-rollups-${randomBytes(4).toString('hex')}`;
  const retention = (command: 'apply' | 'report') =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        `${root}node_modules/.bin/tsx`,
        [`${root}services/provision/src/retention-cli.ts`, command],
        { env: { ...process.env, ...stack.env } },
        (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
      );
    });

  beforeAll(async () => {
    stack = await createTestStack('retention-policy', { LUKEMA_INFLUX_BUCKET_ROLLUPS: rollups });
    // A rollups bucket kept a day, and a window digest without a TTL: drift from the start.
    await stack.influx.ensureBucket({ name: rollups, retentionSeconds: 86_400 });
    const names = redisKeys(stack.config.registry.redisPrefix);
    await stack.redis.hset(`${names.windowDigests}:2026-11-01`, 'mp|w', 'digest');
    // Export folders an earlier run on this machine left beyond the policy: what the API's
    // sweep removes (the report would rightly call them drift).
    const keepMs = keepMsOf(retentionRules(), 'exports');
    const dir = exportsOf(stack);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info && info.mtimeMs + keepMs < Date.now())
        await rm(join(dir, name), { recursive: true, force: true });
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.influx.deleteBucket(rollups).catch(() => undefined);
    await stack?.close();
  });

  it('reports drift with a non-zero exit, applies the policy, then reports it applied', async () => {
    const before = await retention('report');
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(new RegExp(`DRIFT  rollups +influxdb bucket ${rollups}`));
    expect(before.stdout).toMatch(/DRIFT {2}window-state .*1 keys beyond policy/);
    const applied = await retention('apply');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`influxdb bucket ${rollups}`);
    const after = await retention('report');
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('DRIFT');
    expect(after.stdout).toContain('retention: every store matches the policy');
    console.log(`[retention] report after apply:\n${after.stdout}`);
  });

  it('flags a drift made by hand on a topic and a bucket, and apply undoes it', async () => {
    const { deadLetter } = stack.config.kafka.topics;
    const spec = topicPlan(stack.config).find((t) => t.topic === deadLetter);
    if (!spec) throw new Error('no dead-letter topic in the plan');
    // By hand: someone shortens the dead letters to a day and the readings bucket to a week.
    await stack.admin.alignTopicConfigs([{ ...spec, config: { 'retention.ms': '86400000' } }]);
    await stack.influx.ensureBucket({
      name: stack.config.influx.buckets.readings,
      retentionSeconds: 7 * 86_400,
    });
    const drifted = await retention('report');
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(
      new RegExp(
        `DRIFT  dead-letters +kafka topic ${deadLetter.replace(/\./g, '\\.')} +policy 90 d +actual 1 d`,
      ),
    );
    expect(drifted.stdout).toMatch(/DRIFT {2}raw-readings .* policy 2192 d +actual 7 d/);
    expect(drifted.stdout.split('\n').at(-2)).toBe('retention: 2 drift(s)');
    console.log(
      `[retention] drift made by hand:\n${drifted.stdout
        .split('\n')
        .filter((l) => l.startsWith('DRIFT'))
        .join('\n')}`,
    );
    expect((await retention('apply')).code).toBe(0);
    expect((await retention('report')).code).toBe(0);
  });

  it('counts an export folder older than the policy as drift', async () => {
    const keepMs = keepMsOf(retentionRules(), 'exports');
    const folder = join(exportsOf(stack), `t-retention-${randomBytes(4).toString('hex')}`);
    await mkdir(folder, { recursive: true });
    try {
      const old = new Date(Date.now() - keepMs - 3_600_000);
      await utimes(folder, old, old);
      const drifted = await retention('report');
      expect(drifted.code).toBe(1);
      expect(drifted.stdout).toMatch(
        /DRIFT {2}exports +export folders in .* policy 3 d +actual 1 folders beyond policy/,
      );
      console.log(`[retention] ${drifted.stdout.split('\n').find((l) => l.includes('exports'))}`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    expect((await retention('report')).code).toBe(0);
  });
});

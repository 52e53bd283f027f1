import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Config, InfluxClientAdapter, influxTokenPath, loadConfig } from '@lukema/platform';
import { provision } from '@lukema/provision/provision';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';

describe('analysts hold no InfluxDB token on the per-customer readings', () => {
  let stack: TestStack;
  let config: Config;
  let dataDir: string;

  beforeAll(async () => {
    stack = await createTestStack('analyst-token');
    // Provisioning into a data folder of its own, so its token files are this test's.
    dataDir = mkdtempSync(join(tmpdir(), 'lukema-analyst-token-'));
    config = loadConfig({
      ...process.env,
      ...stack.env,
      LUKEMA_DATA: dataDir,
      LUKEMA_INFLUX_BUCKET_ROLLUPS: `${stack.config.influx.buckets.readings}-rollups`,
    });
  });

  afterAll(async () => {
    for (const role of ['ingest', 'registry', 'api', 'analyst', 'rollup', 'analytics'] as const) {
      const path = influxTokenPath(config, role);
      if (existsSync(path)) await stack.influx.deleteToken(readFileSync(path, 'utf8').trim());
    }
    rmSync(dataDir, { recursive: true, force: true });
    await stack?.influx.deleteBucket(config.influx.buckets.rollups).catch(() => undefined);
    await stack?.close();
  });

  it('revokes the analyst token an older plan created, and creates none', async () => {
    const bucket = config.influx.buckets.readings;
    const old = await stack.influx.createToken('lukema analyst', [{ action: 'read', bucket }]);
    const path = influxTokenPath(config, 'analyst');
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, old, { mode: 0o600 });
    const reader = new InfluxClientAdapter({ ...config.influx, token: old });
    const probe = `from(bucket: "${bucket}") |> range(start: -1h) |> limit(n: 1)`;
    await expect(reader.rows(probe)).resolves.toEqual([]);

    await provision({ config, topics: stack.admin, influx: stack.influx, logger: stack.logger });

    expect(existsSync(path)).toBe(false);
    await expect(reader.rows(probe)).rejects.toMatchObject({ status: 401 });
    expect(existsSync(influxTokenPath(config, 'api'))).toBe(true);
    // A second run changes nothing and creates no analyst token again.
    await provision({ config, topics: stack.admin, influx: stack.influx, logger: stack.logger });
    expect(existsSync(path)).toBe(false);
    // The API's analytics read the rollups with a token that cannot read the raw readings.
    const analytics = new InfluxClientAdapter({
      ...config.influx,
      token: readFileSync(influxTokenPath(config, 'analytics'), 'utf8').trim(),
    });
    const rollupProbe = `from(bucket: "${config.influx.buckets.rollups}") |> range(start: -1h) |> limit(n: 1)`;
    await expect(analytics.rows(rollupProbe)).resolves.toEqual([]);
    await expect(analytics.rows(probe)).rejects.toThrow();
    console.log(
      '[analyst-token] the analyst InfluxDB token: revoked (401), file removed; the analytics token reads rollups, not readings',
    );
  });
});

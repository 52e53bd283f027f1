import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contractMessages } from '@lukema/headend-sim';
import { createIngestService } from '@lukema/ingest';
import { createOpsServer } from '@lukema/platform';
import { createRegistry } from '@lukema/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedWorld } from '../support/population.js';
import { promQuery, promtool } from '../support/prometheus.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cache = process.env.LUKEMA_CACHE ?? join(process.env.HOME ?? '', '.cache', 'lukema');

describe('Prometheus in the local stack', () => {
  it('has recording and alerting rules that promtool accepts and whose alerts fire as meant', async () => {
    const check = await promtool(
      cache,
      ['check', 'rules', 'infra/prometheus/rules/lukema.yml'],
      root,
    );
    console.log(`promtool check rules (exit ${check.code}):\n${check.output}`);
    expect(check.code).toBe(0);
    const test = await promtool(
      cache,
      ['test', 'rules', 'infra/prometheus/tests/lukema.test.yml'],
      root,
    );
    console.log(`promtool test rules (exit ${test.code}):\n${test.output}`);
    expect(test.code).toBe(0);
  });

  describe('scraping the services', () => {
    let stack: TestStack;
    let targetsFile: string;
    beforeAll(async () => {
      stack = await createTestStack('prometheus');
      targetsFile = join(stack.config.ops.prometheusTargetsDir, `test-${stack.id}.json`);
    });
    afterAll(async () => {
      rmSync(targetsFile, { force: true });
      await stack.close();
    });

    it('sees the lag rise while the worker is stopped, and drain after it is back', async () => {
      const world = generatedWorld({
        sites: 40,
        seed: 21,
        fromMs: Date.UTC(2026, 3, 1),
        days: 2,
        moveShare: 0,
        vacancyShare: 0,
        badShare: 0,
        lateShare: 0,
      });
      const prometheus = stack.config.ops.prometheusUrl;
      const group = stack.config.ingest.group;
      const lagQuery = `sum(lukema_kafka_consumergroup_lag_messages{group="${group}"})`;
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages(world.contracts),
      );
      const registry = createRegistry(stack.config, stack.logger);
      const ops = createOpsServer({
        port: 0,
        registry: registry.metrics,
        checks: registry.checks,
        logger: stack.logger,
      });
      const first = createIngestService(stack.config, stack.logger);
      const second = createIngestService(stack.config, stack.logger);
      try {
        await registry.start();
        const at = await ops.start();
        writeFileSync(
          targetsFile,
          JSON.stringify([
            { targets: [`127.0.0.1:${at.port}`], labels: { service: 'registry', test: stack.id } },
          ]),
        );
        await waitFor(
          'Prometheus scrapes the registry',
          async () => (await promQuery(prometheus, `up{test="${stack.id}"}`)) === 1,
          { timeoutMs: 60_000 },
        );
        await stack.contractsApplied();
        const half = Math.floor(world.messages.length / 2);
        void first.worker.start();
        await stack.producer.send(
          stack.config.kafka.topics.readings,
          world.messages.slice(0, half),
        );
        await waitFor(
          'the running worker keeps the lag at 0',
          async () => (await stack.lag()) === 0,
        );
        await waitFor(
          'Prometheus sees lag 0',
          async () => (await promQuery(prometheus, lagQuery)) === 0,
        );
        await first.stop();
        // The worker is stopped: what is produced now waits in the topic.
        await stack.producer.send(stack.config.kafka.topics.readings, world.messages.slice(half));
        const behind = world.messages.length - half;
        const t0 = Date.now();
        await waitFor(
          'the lag rises in Prometheus',
          async () => ((await promQuery(prometheus, lagQuery)) ?? 0) >= behind,
          { timeoutMs: 60_000 },
        );
        const risen = await promQuery(prometheus, lagQuery);
        console.log(
          `[prometheus] worker stopped: ${lagQuery} = ${risen} (${behind} pushes produced meanwhile) after ${Date.now() - t0} ms`,
        );
        expect(risen).toBe(behind);

        void second.worker.start();
        const t1 = Date.now();
        await waitFor(
          'the lag drains in Prometheus',
          async () => (await promQuery(prometheus, lagQuery)) === 0,
          {
            timeoutMs: 120_000,
          },
        );
        console.log(`[prometheus] worker started: ${lagQuery} = 0 after ${Date.now() - t1} ms`);
        expect(first.worker.stats.messages + second.worker.stats.messages).toBe(
          world.messages.length,
        );
      } finally {
        await Promise.all([first.stop(), second.stop()]);
        await ops.stop();
        await registry.stop();
      }
    }, 300_000);
  });
});

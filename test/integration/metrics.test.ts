import { createRightsApi } from '@lukema/api';
import { contractMessages } from '@lukema/headend-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { engine } from '../support/engine.js';
import { labelValues, sample, scrape } from '../support/metrics.js';
import { pipelineOpsServers } from '../support/ops-servers.js';
import { startPipeline } from '../support/pipeline.js';
import { generatedWorld } from '../support/population.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const FROM = Date.UTC(2026, 2, 1);

const url = (address: { port: number }, path: string) => `http://127.0.0.1:${address.port}${path}`;

describe('every service serves /metrics, /livez and /readyz', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('metrics');
  });
  afterAll(async () => {
    engine('influxdb', 'start');
    await stack.close();
  });

  it('counts what the pipeline did, with no identifier in any label, and says when an engine is down', async () => {
    const world = generatedWorld({
      sites: 30,
      seed: 12,
      fromMs: FROM,
      days: 2,
      moveShare: 0.1,
      vacancyShare: 0,
      badShare: 0.05,
      lateShare: 0.05,
    });
    await stack.producer.send(
      stack.config.kafka.topics.contracts,
      contractMessages(world.contracts),
    );
    const pipeline = await startPipeline(stack);
    const { ingestOps, registryOps } = pipelineOpsServers(stack, pipeline);
    const api = createRightsApi(stack.config, stack.logger);
    try {
      const ingestAt = await ingestOps.start();
      const registryAt = await registryOps.start();
      const apiAddress = await api.start(0);
      const apiAt = typeof apiAddress === 'object' && apiAddress ? apiAddress : { port: 0 };
      await stack.contractsApplied();
      await stack.producer.send(stack.config.kafka.topics.readings, world.messages);
      await waitFor('readings committed', async () => (await stack.lag()) === 0, {
        timeoutMs: 120_000,
      });
      await fetch(url(apiAt, '/health'));
      // An access export, start to finish: audited, queued, built.
      const token = await api.tokens.create('metrics-dpo', 'dpo', ['access_request']);
      const customerId = world.contracts[0]?.customerId ?? '';
      const started = await apiClient(`http://127.0.0.1:${apiAt.port}`)(
        'POST',
        '/v1/access-requests',
        {
          token,
          purpose: 'access_request',
          body: { customerId },
        },
      );
      expect(started.status).toBe(202);
      const { requestId } = (await started.json()) as { requestId: string };
      await waitFor(
        'the export is built',
        async () => (await api.exports.status(requestId))?.state === 'completed',
        { timeoutMs: 120_000 },
      );

      const ingest = await scrape(url(ingestAt, '/metrics'));
      const registry = await scrape(url(registryAt, '/metrics'));
      const apiText = await scrape(url(apiAt, '/metrics'));
      const stored = sample(ingest, 'lukema_ingest_readings_stored_total') ?? 0;
      const deadLettered = sample(ingest, 'lukema_ingest_messages_dead_lettered_total') ?? 0;
      console.log(
        `[metrics] ingest: consumed ${sample(ingest, 'lukema_ingest_messages_consumed_total')} pushes, stored ${stored}, parked ${sample(ingest, 'lukema_ingest_readings_parked_total')}, dead-lettered ${deadLettered} (${ingest
          .split('\n')
          .filter((l) => l.startsWith('lukema_ingest_messages_dead_lettered_total'))
          .join(
            '; ',
          )}), writes ${sample(ingest, 'lukema_ingest_influx_write_duration_seconds_count')}; registry: contracts applied ${sample(registry, 'lukema_registry_contracts_applied_total')}`,
      );
      expect(stored).toBe(pipeline.ingest.worker.stats.pointsWritten);
      expect(stored).toBeGreaterThan(0);
      expect(deadLettered).toBe(pipeline.ingest.worker.stats.deadLettered);
      expect(deadLettered).toBeGreaterThan(0);
      expect(sample(ingest, 'lukema_ingest_messages_consumed_total')).toBe(world.messages.length);
      expect(sample(ingest, 'lukema_ingest_influx_write_duration_seconds_count')).toBeGreaterThan(
        0,
      );
      expect(sample(ingest, 'lukema_ingest_batch_size_messages_count')).toBeGreaterThan(0);
      // Every partition the worker fetched is at its end: lag 0 from the high watermarks.
      expect(sample(ingest, 'lukema_ingest_consumer_lag_messages')).toBe(0);
      expect(ingest).toMatch(
        /lukema_ingest_consumer_lag_messages\{topic="[^"]+",partition="\d"\} 0/,
      );
      expect(ingest).toContain('process_cpu_seconds_total');
      expect(sample(registry, 'lukema_registry_contracts_applied_total')).toBe(
        world.contracts.length,
      );
      expect(
        sample(registry, 'lukema_kafka_consumergroup_lag_messages', {
          group: stack.config.ingest.group,
        }),
      ).toBe(0);
      expect(
        sample(apiText, 'lukema_api_requests_total', { route: '/health', status: '200' }),
      ).toBe(1);
      expect(
        sample(apiText, 'lukema_api_requests_total', {
          route: '/v1/access-requests',
          method: 'POST',
          status: '202',
        }),
      ).toBe(1);
      expect(apiText).toContain('lukema_export_jobs{state="waiting"} 0');
      expect(apiText).toContain('lukema_export_jobs{state="completed"} 1');
      expect(
        sample(apiText, 'lukema_export_duration_seconds_count', { outcome: 'completed' }),
      ).toBe(1);
      expect(sample(apiText, 'lukema_export_oldest_open_request_age_seconds')).toBe(0);
      // Token creation and the export's start were recorded on the API's chain.
      expect(
        sample(apiText, 'lukema_audit_writes_total', { chain: 'api', outcome: 'written' }),
      ).toBeGreaterThanOrEqual(2);

      // No metering point, pseudonym or customer in any label.
      const identifiers = [
        ...world.population.map((s) => s.meteringPointId),
        ...world.contracts.flatMap((c) => [c.customerId, c.contractId]),
      ];
      const labels = new Set([ingest, registry, apiText].flatMap(labelValues));
      for (const label of labels) {
        expect(identifiers).not.toContain(label);
        expect(label).not.toMatch(/^[0-9a-f]{32}$/); // a pseudonym's shape
      }

      for (const at of [ingestAt, registryAt, apiAt]) {
        expect((await fetch(url(at, '/livez'))).status).toBe(200);
        expect((await fetch(url(at, '/readyz'))).status).toBe(200);
      }
      engine('influxdb', 'stop');
      for (const at of [ingestAt, registryAt, apiAt]) {
        const res = await fetch(url(at, '/readyz'));
        const body = (await res.json()) as { ready: boolean; reasons: Record<string, string> };
        console.log(
          `[metrics] /readyz with InfluxDB stopped: ${res.status} ${JSON.stringify(body)}`,
        );
        expect(res.status).toBe(503);
        expect(Object.keys(body.reasons)).toEqual(['influxdb']);
        expect((await fetch(url(at, '/livez'))).status).toBe(200);
      }
      engine('influxdb', 'start');
      for (const at of [ingestAt, registryAt, apiAt]) {
        await waitFor('ready again', async () => (await fetch(url(at, '/readyz'))).status === 200);
      }
    } finally {
      engine('influxdb', 'start');
      await api.stop();
      await ingestOps.stop();
      await registryOps.stop();
      await pipeline.stop();
    }
  }, 300_000);
});

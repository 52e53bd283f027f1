import { createRightsApi } from '@lukema/api';
import { contractMessages, simulatedGsrn } from '@lukema/headend-sim';
import { loadSchema, MeterMessageCodec, SingleObjectCodec } from '@lukema/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { consumptionPush, openContract } from '../support/fixtures.js';
import { startPipeline } from '../support/pipeline.js';
import { storedReadings } from '../support/stored-readings.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const codec = new MeterMessageCodec();
const V1 = 'interval-reading-batch.v1.avsc';
const v1 = new SingleObjectCodec([loadSchema(V1)]);
const QUARTER = 900_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2);
const mp = simulatedGsrn(950);
const values = (n: number) => Array.from({ length: n }, (_, i) => 200 + (i % 7));

interface ExportJson {
  version: number;
  meteringPoints: Array<{
    series: Array<{
      direction: string;
      readings: Array<[string, number | null, string, string | null]>;
    }>;
  }>;
}

describe("the Datahub status (v2's dataStatus)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('status');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is stored with each reading and carried into the CSV and JSON exports', async () => {
    const pipeline = await startPipeline(stack);
    const api = createRightsApi(stack.config, stack.logger);
    try {
      await stack.producer.send(
        stack.config.kafka.topics.contracts,
        contractMessages([openContract(mp, '940001')]),
      );
      await stack.contractsApplied();
      const v1Push = consumptionPush(mp, T0 + 12 * HOUR, values(4));
      await stack.producer.send(stack.config.kafka.topics.readings, [
        // v2, final: 00:00-06:00; v2, preliminary: 06:00-12:00.
        {
          key: mp,
          value: codec.encodeInterval({
            ...consumptionPush(mp, T0, values(24)),
            dataStatus: 'final',
          }),
        },
        {
          key: mp,
          value: codec.encodeInterval({
            ...consumptionPush(mp, T0 + 6 * HOUR, values(24)),
            dataStatus: 'preliminary',
          }),
        },
        // A head-end still on v1 (no dataStatus): reads as preliminary, the schema default.
        {
          key: mp,
          value: v1.encodeAs(loadSchema(V1), {
            messageId: v1Push.messageId,
            headEndId: v1Push.headEndId,
            meteringPointId: mp,
            direction: 'CONSUMPTION',
            resolution: 'PT15M',
            sentAt: v1Push.sentAtMs,
            intervals: v1Push.intervals.map((i) => ({
              start: i.startMs,
              quantityWh: i.quantityWh,
              flags: [],
            })),
          }),
        },
        // Register reads carry no status: their readings have none.
        {
          key: mp,
          value: codec.encodeRegister({
            messageId: 'reg-1',
            headEndId: 'he',
            meteringPointId: mp,
            direction: 'production',
            resolution: 'PT15M',
            sentAtMs: T0 + 2 * HOUR,
            rolloverWh: 1e12,
            reads: Array.from({ length: 5 }, (_, i) => ({
              atMs: T0 + i * QUARTER,
              registerWh: 10_000 + 100 * i,
              flags: [],
            })),
          }),
        },
      ]);
      const stored = await waitFor('56 readings stored', async () => {
        const rows = await storedReadings(stack);
        return rows.length === 56 && rows;
      });
      const statusAt = (direction: string, t: number) => {
        if (direction === 'production') return null;
        return t < T0 + 6 * HOUR ? 'final' : 'preliminary';
      };
      expect(stored.map((r) => r.status)).toEqual(
        stored.map((r) => statusAt(r.direction, r.timeMs)),
      );

      const address = await api.start(0);
      const call = apiClient(
        `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      );
      const token = await api.tokens.create('dpo-status', 'dpo', ['access_request']);
      const started = await call('POST', '/v1/access-requests', {
        token,
        purpose: 'access_request',
        body: { customerId: '940001' },
      });
      expect(started.status).toBe(202);
      const { requestId } = (await started.json()) as { requestId: string };
      await waitFor('the export job', async () => {
        const r = await call('GET', `/v1/access-requests/${requestId}`, {
          token,
          purpose: 'access_request',
        });
        return ((await r.json()) as { state: string }).state === 'completed';
      });
      const file = (name: string) =>
        call('GET', `/v1/access-requests/${requestId}/files/${name}`, {
          token,
          purpose: 'access_request',
        });

      const json = (await (await file('access-export.json')).json()) as ExportJson;
      expect(json.version).toBe(2);
      const fromJson = json.meteringPoints.flatMap((p) =>
        p.series.flatMap((s) =>
          s.readings.map(
            ([start, , , status]) => [s.direction, Date.parse(start), status] as const,
          ),
        ),
      );
      expect(fromJson).toHaveLength(56);
      for (const [direction, t, status] of fromJson) expect(status).toBe(statusAt(direction, t));

      const csv = Buffer.from(await (await file('access-export.csv')).bytes())
        .subarray(3)
        .toString('utf8')
        .trimEnd()
        .split('\r\n');
      expect(csv[0]).toBe(
        'MeteringPointGSRN;Product Type;Resolution;Unit Type;Reading Type;Start Time;Quantity;Quality;Status',
      );
      const fromCsv = csv.slice(1).map((row) => {
        const cells = row.split(';');
        return [cells[4], Date.parse(cells[5] ?? ''), cells[8]] as const;
      });
      expect(fromCsv).toHaveLength(56);
      for (const [direction, t, status] of fromCsv)
        expect(status).toBe(statusAt(direction ?? '', t) ?? '');

      const count = (list: ReadonlyArray<readonly [unknown, unknown, string | null | undefined]>) =>
        JSON.stringify(
          list.reduce<Record<string, number>>((n, [, , s]) => {
            const k = s || 'none';
            n[k] = (n[k] ?? 0) + 1;
            return n;
          }, {}),
        );
      console.log(
        `data status: stored ${count(stored.map((r) => [0, 0, r.status] as const))}; ` +
          `JSON ${count(fromJson)}; CSV ${count(fromCsv)}`,
      );
    } finally {
      await api.stop();
      await pipeline.stop();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { PointLines } from '@lukema/core';
import type { Config, InfluxClientAdapter } from '@lukema/platform';

/**
 * Kafka's consume ceiling on this machine: the consumer perf tool from the broker's own jars,
 * reading the bench topic. Returns messages/s (fetch phase, rebalance excluded).
 */
export function kafkaConsumeCeiling(
  root: string,
  config: Config,
  topic: string,
  messages: number,
): number {
  const out = execFileSync(
    'bash',
    [
      'infra/kafka.sh',
      'tool',
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      config.kafka.brokers.join(','),
      '--topic',
      topic,
      '--messages',
      String(messages),
      '--group',
      `bench-perf-${Date.now()}`,
      '--timeout',
      '120000',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
  const lines = out.trim().split('\n');
  const header = (lines.find((l) => l.includes('nMsg.sec')) ?? '').split(',').map((s) => s.trim());
  const values = (lines.at(-1) ?? '').split(',').map((s) => s.trim());
  const at = header.indexOf('fetch.nMsg.sec');
  const value = Number(values[at >= 0 ? at : header.indexOf('nMsg.sec')]);
  if (!Number.isFinite(value))
    throw new Error(`could not read ConsumerPerformance output:\n${out}`);
  return value;
}

/**
 * 5,000-line batches of reading lines in the pipeline's own layout and order: 3,500 series,
 * each pushing 24 quarter-hours per 6-hour window, as head-ends send them.
 */
function prebuiltBatches(totalLines: number, run: string): string[][] {
  const lines = new PointLines();
  const all: string[] = [];
  const series = 3500;
  const start = Date.UTC(2026, 0, 1);
  for (let window = 0; all.length < totalLines; window++) {
    for (let s = 0; s < series && all.length < totalLines; s++) {
      const pseudonym = `${run}${s}`.padStart(32, '0');
      const period = { contractId: pseudonym, startMs: 0, endMs: null, pseudonym, area: '001xx' };
      for (let i = 0; i < 24; i++) {
        const startMs = start + (window * 24 + i) * 900_000;
        const interval = {
          startMs,
          quantityWh: 100 + ((s + i) % 900),
          quality: 'measured' as const,
          flags: [],
        };
        all.push(lines.reading(period, 'consumption', 'PT15M', interval, 1));
      }
    }
  }
  const batches: string[][] = [];
  for (let i = 0; i < all.length; i += 5000) batches.push(all.slice(i, i + 5000));
  return batches;
}

/**
 * InfluxDB's write ceiling for this bucket layout: pre-built line protocol, 5,000-line gzip
 * batches, with 1, 2 and 4 requests in flight. Returns lines/s per concurrency.
 */
export async function influxWriteCeiling(
  influx: InfluxClientAdapter,
  bucket: string,
  totalLines: number,
): Promise<Map<number, number>> {
  const lines = new PointLines();
  const batches: string[][] = [];
  const series = 400;
  const start = Date.UTC(2026, 0, 1);
  let batch: string[] = [];
  for (let i = 0; i < totalLines; i++) {
    const s = i % series;
    const t = start + Math.floor(i / series) * 900_000;
    const period = {
      contractId: `c${s}`,
      startMs: 0,
      endMs: null,
      pseudonym: `${s}`.padStart(32, '0'),
      area: '001xx',
    };
    batch.push(
      lines.reading(
        period,
        'consumption',
        'PT15M',
        { startMs: t, quantityWh: 100 + (i % 900), quality: 'measured', flags: [] },
        1,
      ),
    );
    if (batch.length === 5000) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  const results = new Map<number, number>();
  for (const concurrency of [1, 2, 4]) {
    const queue = [...batches];
    const t0 = performance.now();
    let written = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let b = queue.shift(); b; b = queue.shift()) {
          written += (await influx.writeLines(bucket, b)).written;
        }
      }),
    );
    results.set(concurrency, written / ((performance.now() - t0) / 1000));
    await new Promise((r) => setTimeout(r, 5_000)); // let the cache snapshot settle
  }
  return results;
}

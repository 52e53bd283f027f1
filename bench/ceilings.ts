import { execFileSync } from 'node:child_process';
import { ENERGY_MEASUREMENT, LineBuffer, type LineChunk, PointLines } from '@lukema/core';
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
 * 5,000-line chunks of reading lines in the pipeline's own layout and order: 3,500 series,
 * each pushing 24 quarter-hours per 6-hour window, as head-ends send them. Each run gets its
 * own series, so no run overwrites what an earlier one wrote.
 */
function prebuiltChunks(totalLines: number, run: string): LineChunk[] {
  const lines = new PointLines();
  const buffer = new LineBuffer();
  const chunks: LineChunk[] = [];
  const series = 3500;
  const start = Date.UTC(2026, 0, 1);
  let written = 0;
  for (let window = 0; written < totalLines; window++) {
    for (let s = 0; s < series && written < totalLines; s++) {
      const pseudonym = `${run}x${s}`.padStart(32, '0');
      const period = { contractId: pseudonym, startMs: 0, endMs: null, pseudonym, area: '001xx' };
      const prefix = lines.prefix(ENERGY_MEASUREMENT, period, 'consumption', 'PT15M');
      for (let i = 0; i < 24; i++) {
        const interval = {
          startMs: start + (window * 24 + i) * 900_000,
          quantityWh: 100 + ((s + i) % 900),
          quality: 'measured' as const,
          flags: [],
        };
        buffer.add(prefix, lines.readingFields(interval, 1));
      }
      written += 24;
      if (buffer.count >= 5000) chunks.push(buffer.take());
    }
  }
  if (buffer.count > 0) chunks.push(buffer.take());
  return chunks;
}

/**
 * InfluxDB's write ceiling for this bucket layout: pre-built line protocol in 5,000-line
 * chunks, gzipped and sent as the worker sends them, with 1, 2 and 4 requests in flight.
 * Returns lines/s per concurrency.
 */
export async function influxWriteCeiling(
  influx: InfluxClientAdapter,
  bucket: string,
  totalLines: number,
): Promise<Map<number, number>> {
  const results = new Map<number, number>();
  for (const concurrency of [1, 2, 4]) {
    const queue = prebuiltChunks(totalLines, `c${concurrency}`);
    const t0 = performance.now();
    let written = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
          written += (await influx.writeChunk(bucket, chunk)).written;
        }
      }),
    );
    results.set(concurrency, written / ((performance.now() - t0) / 1000));
    await new Promise((r) => setTimeout(r, 5_000)); // let the cache snapshot settle
  }
  return results;
}

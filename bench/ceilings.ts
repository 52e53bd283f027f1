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
 * The layouts a ceiling is measured with: Lukema's own, and the least a reading can cost
 * (`energy,pseudonym=… kwh=…`, the yardstick).
 */
export type BenchLayout = 'lukema' | 'minimal';

/** One reading in 50 is estimated: the share of readings a utility has that are not measured. */
const NOT_MEASURED_EVERY = 50;

/**
 * 5,000-line chunks of reading lines in a layout, in the pipeline's order: 3,500 series, each
 * pushing 24 quarter-hours per 6-hour window, as head-ends send them (Lukema's layout with
 * each window's revision record, as the worker writes it). Each run gets its own series, so
 * no run overwrites what an earlier one wrote. Timestamps in ms in both layouts.
 */
function prebuiltChunks(totalLines: number, run: string, layout: BenchLayout): LineChunk[] {
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
      const prefix =
        layout === 'minimal'
          ? `energy,pseudonym=${pseudonym}`
          : lines.prefix(ENERGY_MEASUREMENT, period, 'consumption', 'PT15M');
      const first = start + window * 24 * 900_000;
      for (let i = 0; i < 24; i++) {
        const startMs = first + i * 900_000;
        const quantityWh = 100 + ((s + i) % 900);
        if (layout === 'minimal') {
          buffer.add(prefix, `kwh=${quantityWh / 1000} ${startMs}`);
          continue;
        }
        const estimated = (s * 24 + i) % NOT_MEASURED_EVERY === 0;
        const interval = {
          startMs,
          quantityWh,
          quality: estimated ? ('estimated' as const) : ('measured' as const),
          flags: estimated ? ['estimated'] : [],
          dataStatus: 'preliminary' as const,
        };
        buffer.add(prefix, lines.readingFields(interval));
      }
      if (layout === 'lukema') {
        for (const rest of lines.revisionFields(
          'PT15M',
          first,
          first + 23 * 900_000,
          first + 24 * 900_000,
        ))
          buffer.add(prefix, rest);
      }
      written += 24;
      if (buffer.count >= 5000) chunks.push(buffer.take());
    }
  }
  if (buffer.count > 0) chunks.push(buffer.take());
  return chunks;
}

/**
 * InfluxDB's write ceiling for a layout: pre-built line protocol in 5,000-line chunks,
 * gzipped and sent as the worker sends them, with 1, 2 and 4 requests in flight.
 * Returns readings/s per concurrency (a revision record is bookkeeping, not a reading).
 */
export async function influxWriteCeiling(
  influx: InfluxClientAdapter,
  bucket: string,
  totalReadings: number,
  layout: BenchLayout = 'lukema',
  concurrencies: readonly number[] = [1, 2, 4],
  round = 0,
  /** InfluxDB's CPU time so far (ms): its µs a reading while timed go in `cpuUs`. */
  influxCpuMs?: () => number,
  cpuUs?: Map<number, number>,
): Promise<Map<number, number>> {
  const results = new Map<number, number>();
  for (const concurrency of concurrencies) {
    const queue = prebuiltChunks(totalReadings, `${layout[0]}${concurrency}r${round}`, layout);
    const cpu0 = influxCpuMs?.() ?? 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
          await influx.writeChunk(bucket, chunk);
        }
      }),
    );
    results.set(concurrency, totalReadings / ((performance.now() - t0) / 1000));
    if (influxCpuMs) cpuUs?.set(concurrency, ((influxCpuMs() - cpu0) * 1000) / totalReadings);
    await new Promise((r) => setTimeout(r, 5_000)); // let the cache snapshot settle
  }
  return results;
}

/**
 * Both layouts' ceilings, interleaved (at each concurrency one layout's run, then the
 * other's), each run into a fresh bucket named after `buckets` (dropped after it), in
 * `rounds` rounds that alternate which layout goes first, so that a machine
 * whose load changes during the run, or InfluxDB compacting what the run before wrote,
 * weighs on both alike. Each layout's figure at a concurrency is its best round: a ceiling
 * is the most the engine took, and one lucky sample of one layout alone no longer decides
 * the ratio. Every sample is kept for printing.
 */
export async function layoutCeilings(
  influx: InfluxClientAdapter,
  buckets: Record<BenchLayout, string>,
  totalReadings: number,
  rounds = 2,
  influxCpuMs?: () => number,
): Promise<{
  best: Record<BenchLayout, Map<number, number>>;
  samples: Record<BenchLayout, Map<number, number[]>>;
  /** InfluxDB's CPU µs a reading in each layout's best sample overall (its ceiling). */
  cpuUsAtBest: Record<BenchLayout, number>;
}> {
  const best = { lukema: new Map<number, number>(), minimal: new Map<number, number>() };
  const samples = { lukema: new Map<number, number[]>(), minimal: new Map<number, number[]>() };
  const top = { lukema: { rate: 0, cpuUs: 0 }, minimal: { rate: 0, cpuUs: 0 } };
  for (let round = 0; round < rounds; round++) {
    const order: BenchLayout[] = round % 2 === 0 ? ['lukema', 'minimal'] : ['minimal', 'lukema'];
    for (const c of [1, 2, 4]) {
      for (const layout of order) {
        const cpuUs = new Map<number, number>();
        // A fresh bucket for every sample, as the issue measured: a bucket holding the runs
        // before would have InfluxDB compacting them during this one (the layout with more
        // columns paid for its earlier runs: 17-19 % more CPU a reading than the minimal
        // layout in one bucket each, 0.92-0.95 of it in fresh buckets, same machine).
        const bucket = `${buckets[layout]}-${c}-${round}`;
        await influx.ensureBucket({ name: bucket, retentionSeconds: 6 * 366 * 86_400 });
        let v = 0;
        try {
          [[, v] = [c, 0]] = await influxWriteCeiling(
            influx,
            bucket,
            totalReadings,
            layout,
            [c],
            round,
            influxCpuMs,
            cpuUs,
          );
        } finally {
          await influx.deleteBucket(bucket).catch(() => undefined);
        }
        samples[layout].set(c, [...(samples[layout].get(c) ?? []), v]);
        best[layout].set(c, Math.max(best[layout].get(c) ?? 0, v));
        if (v > top[layout].rate) top[layout] = { rate: v, cpuUs: cpuUs.get(c) ?? 0 };
      }
    }
  }
  return {
    best,
    samples,
    cpuUsAtBest: { lukema: top.lukema.cpuUs, minimal: top.minimal.cpuUs },
  };
}

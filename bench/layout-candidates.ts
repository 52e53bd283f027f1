/**
 * `npm run bench:layouts -- [--rounds 3] [--lines 1000000] [--only a,b]`: InfluxDB's write ceiling for
 * candidate raw-reading layouts, as ratio to the minimal layout, interleaved (each candidate
 * next to a minimal run, in alternating order, 2 writes in flight, fresh series and bucket
 * per run), so a load change weighs on both alike. Every candidate has Lukema's fields (2 %
 * of readings with `q`, a revision record per 24-reading window); only the tag part differs.
 * Also InfluxDB's own CPU time a line in each run (from its pid file), as `cpu_ratio` =
 * candidate ÷ minimal: steadier than the rates, which the rest of the machine moves. The
 * `current…` variants keep the product's tags and leave out part of its fields, to say
 * which part of the layout costs what.
 * Prints each round, then the best and median ratio per candidate. How `current` (the
 * product's own layout, from PointLines) was chosen: README *Storage layout*.
 */
import { randomBytes } from 'node:crypto';
import { ENERGY_MEASUREMENT, LineBuffer, type LineChunk, PointLines } from '@lukema/core';
import { InfluxClientAdapter, loadConfig, readInfluxToken } from '@lukema/platform';
import { MachineCpu } from './machine-cpu.js';

const arg = (name: string, dflt: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? dflt : Number(process.argv[at + 1]);
};
const ROUNDS = arg('rounds', 3);
const LINES = arg('lines', 1_000_000);

const product = new PointLines();
const period = (pseudonym: string) => ({
  contractId: 'K',
  startMs: 0,
  endMs: null,
  pseudonym,
  area: '001xx',
});

/** Each candidate's tag part of a series' lines. */
const CANDIDATES: Record<string, (pseudonym: string) => string> = {
  minimal: (p) => `energy,pseudonym=${p}`,
  /** The product's layout (`energy,d=c,p=…,r=15`). */
  current: (p) => product.prefix(ENERGY_MEASUREMENT, period(p), 'consumption', 'PT15M'),
  spelledOut: (p) => `energy,area=001xx,direction=consumption,pseudonym=${p},resolution=PT15M`,
  noArea: (p) => `energy,direction=consumption,pseudonym=${p},resolution=PT15M`,
  shortArea: (p) => `energy,a=001xx,d=c,p=${p},r=15`,
  inName: (p) => `energy_c15,p=${p}`,
  currentNoRecords: (p) => product.prefix(ENERGY_MEASUREMENT, period(p), 'consumption', 'PT15M'),
  currentKwhOnly: (p) => product.prefix(ENERGY_MEASUREMENT, period(p), 'consumption', 'PT15M'),
};
/** Candidates without the revision records; without `q` either (`kwh` on every line only). */
const NO_RECORDS = new Set(['currentNoRecords', 'currentKwhOnly']);
const KWH_ONLY = new Set(['currentKwhOnly']);

function chunks(total: number, run: string, name: string): LineChunk[] {
  const lines = new PointLines();
  const buffer = new LineBuffer();
  const out: LineChunk[] = [];
  const start = Date.UTC(2026, 0, 1);
  const prefixOf = CANDIDATES[name] as (p: string) => string;
  let written = 0;
  for (let window = 0; written < total; window++) {
    for (let s = 0; s < 3500 && written < total; s++) {
      const prefix = prefixOf(`${run}x${s}`.padStart(32, '0'));
      const first = start + window * 24 * 900_000;
      for (let i = 0; i < 24; i++) {
        const startMs = first + i * 900_000;
        const quantityWh = 100 + ((s + i) % 900);
        if (name === 'minimal' || KWH_ONLY.has(name)) {
          buffer.add(prefix, `kwh=${quantityWh / 1000} ${startMs}`);
          continue;
        }
        const estimated = (s * 24 + i) % 50 === 0;
        buffer.add(
          prefix,
          lines.readingFields({
            startMs,
            quantityWh,
            quality: estimated ? 'estimated' : 'measured',
            flags: estimated ? ['estimated'] : [],
            dataStatus: 'preliminary',
          }),
        );
      }
      if (name !== 'minimal' && !NO_RECORDS.has(name))
        for (const rest of lines.revisionFields('PT15M', first, first + 23 * 900_000, first + 1))
          buffer.add(prefix, rest);
      written += 24;
      if (buffer.count >= 5000) out.push(buffer.take());
    }
  }
  if (buffer.count > 0) out.push(buffer.take());
  return out;
}

const config = loadConfig(process.env);
const influx = new InfluxClientAdapter({
  url: config.influx.url,
  org: config.influx.org,
  token: readInfluxToken(config, 'operator'),
  writeGzipLevel: config.influx.writeGzipLevel,
});
const id = `layouts-${randomBytes(3).toString('hex')}`;
const ratios = new Map<string, number[]>();
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt < 0 ? undefined : new Set((process.argv[onlyAt + 1] ?? '').split(','));
const names = Object.keys(CANDIDATES).filter((n) => n !== 'minimal' && (!only || only.has(n)));
const cpuRatios = new Map<string, number[]>();
/** InfluxDB's CPU time so far (ms), from the pid file its infra script keeps. */
const engines = new MachineCpu();
const influxCpuMs = () => engines.engineCpuMs('influxdb');
for (let round = 0; round < ROUNDS; round++) {
  for (const name of names) {
    const rates: Record<string, number> = {};
    // Alternating order, so that neither layout always meets what the other left behind.
    const order = (round + names.indexOf(name)) % 2 === 0 ? [name, 'minimal'] : ['minimal', name];
    const pair: string[] = [];
    for (const layout of order) {
      // A fresh bucket and fresh series for every run: nothing overwrites an earlier point.
      const bucket = `${id}-${name}-${layout}-${round}`;
      await influx.ensureBucket({ name: bucket, retentionSeconds: 6 * 366 * 86_400 });
      const queue = chunks(LINES, `${layout[0]}${round}x${names.indexOf(name)}`, layout);
      const bytes = queue.reduce((n, c) => n + c.body.length, 0);
      const cpu0 = influxCpuMs();
      const t0 = performance.now();
      await Promise.all(
        [0, 1].map(async () => {
          for (let c = queue.shift(); c; c = queue.shift()) await influx.writeChunk(bucket, c);
        }),
      );
      rates[layout] = LINES / ((performance.now() - t0) / 1000);
      rates[`${layout}Cpu`] = ((influxCpuMs() - cpu0) * 1000) / LINES;
      if (layout !== 'minimal') rates.bytes = bytes / LINES;
      pair.push(bucket);
      // Let the cache snapshot settle before the next run.
      await new Promise((r) => setTimeout(r, 5_000));
    }
    // Kept until the pair is measured (a delete loads InfluxDB), then dropped so that an
    // overloaded engine does not also hold every run's data.
    for (const bucket of pair) await influx.deleteBucket(bucket).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5_000));
    const ratio = (rates[name] as number) / (rates.minimal as number);
    ratios.set(name, [...(ratios.get(name) ?? []), ratio]);
    const cpuRatio = (rates[`${name}Cpu`] as number) / (rates.minimalCpu as number);
    cpuRatios.set(name, [...(cpuRatios.get(name) ?? []), cpuRatio]);
    console.log(
      `round=${round} layout=${name} bytes_a_line=${(rates.bytes as number).toFixed(0)} per_s=${Math.round(rates[name] as number)} minimal_per_s=${Math.round(rates.minimal as number)} ratio=${ratio.toFixed(2)} influx_cpu_us=${(rates[`${name}Cpu`] as number).toFixed(2)} minimal_cpu_us=${(rates.minimalCpu as number).toFixed(2)} cpu_ratio=${cpuRatio.toFixed(2)}`,
    );
  }
}
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2
    ? (s[s.length >> 1] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
console.log(
  [...ratios]
    .map(
      ([n, r]) =>
        `${n}_best=${Math.max(...r).toFixed(2)} ${n}_median=${median(r).toFixed(2)} ${n}_cpu_ratio_median=${median(cpuRatios.get(n) ?? []).toFixed(2)}`,
    )
    .join(' '),
);

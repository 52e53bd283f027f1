/**
 * `npm run bench:analytics`: hourly rollups of `--points` metering points (default 10,000)
 * in `--areas` postal-code areas (default 100) over `--days` (default 365), written by the
 * product's rollup writer (core's rollupLine, rollupDays, and rollupAreas / areaRollupLine
 * for the per-area rollups, area by area), then `--runs` (default 20) of each query through
 * the rights API: a load profile over the whole span by area, a month of daily totals by
 * area, and market research's daily totals of that month with noise. Prints p50/p95 seconds
 * per query; the last line is key=value figures. `--keep` leaves the data (and prints its
 * id); `--reuse <id>` times the queries on data a `--keep` run left. `--area-only` computes
 * every series' hourly and daily points as above but writes only the per-area rollups made
 * from them (the three queries read only those): for a machine too busy to take ~92 M lines.
 * `--reuse <id> --resume-from-area N`: a write that stopped part way (an engine restarted
 * under it) goes on from area N, after deleting what areas N and up had written.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createRightsApi } from '@lukema/api';
import {
  AREA_DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  areaRollupLine,
  DAILY_MEASUREMENT,
  HOURLY_MEASUREMENT,
  helsinkiMonthStart,
  nextHelsinkiMonth,
  type RollupPoint,
  rollupAreas,
  rollupDays,
  rollupLine,
} from '@lukema/core';
import {
  AUDIT_CHAINS,
  createKafka,
  createLogger,
  createRedis,
  InfluxClientAdapter,
  IoredisRegistryStore,
  KafkajsTopicAdmin,
  loadConfig,
  profileMonthLineOf,
  readInfluxToken,
  redisConnection,
} from '@lukema/platform';
import { fmt } from './format.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '10000' },
    areas: { type: 'string', default: '100' },
    days: { type: 'string', default: '365' },
    runs: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    'area-only': { type: 'boolean', default: false },
    reuse: { type: 'string' },
    'resume-from-area': { type: 'string' },
  },
});
const POINTS = Number(values.points);
const AREAS = Number(values.areas);
const DAYS = Number(values.days);
const RUNS = Number(values.runs);
// With --reuse: a write that stopped (an engine restarted under it) goes on from this area;
// what the area and those after it had written is deleted first.
const RESUME_AREA =
  values['resume-from-area'] === undefined ? undefined : Number(values['resume-from-area']);
if (RESUME_AREA !== undefined && !values.reuse)
  throw new Error('--resume-from-area needs --reuse <id>');
const HOUR = 3_600_000;
const say = (s: string) => console.log(`[bench:analytics] ${s}`);

const base = loadConfig(process.env);
const id = values.reuse ?? `bench-analytics-${randomBytes(3).toString('hex')}`;
const operator = readInfluxToken(base, 'operator');
const env = {
  ...process.env,
  LUKEMA_REDIS_PREFIX: id,
  LUKEMA_INFLUX_BUCKET_READINGS: id,
  LUKEMA_INFLUX_BUCKET_ROLLUPS: `${id}-rollups`,
  LUKEMA_TOPIC_AUDIT: `${id}.audit`,
  LUKEMA_INFLUX_TOKEN: operator,
  LUKEMA_DP_BUDGET: String(RUNS * 10),
  LUKEMA_LOG_LEVEL: 'warn',
};
const config = loadConfig(env);
const logger = createLogger({ level: 'warn', name: 'bench-analytics' });
const influx = new InfluxClientAdapter({
  url: config.influx.url,
  org: config.influx.org,
  token: operator,
});
const redis = createRedis(redisConnection(config));
const admin = new KafkajsTopicAdmin(createKafka({ ...config.kafka, logger }));
const auditTopics = AUDIT_CHAINS.map((c) => `${config.kafka.topics.audit}.${c}`);
let api: ReturnType<typeof createRightsApi> | undefined;

/** A household-like hourly load (kWh): night low, evening peak, winter higher. */
function load(point: number, t: number): number {
  const hour = new Date(t + 2 * HOUR).getUTCHours();
  const season = 1 + 0.5 * Math.cos(((t / 86_400_000) % 365) * ((2 * Math.PI) / 365));
  const daily = hour < 6 ? 0.3 : hour < 17 ? 0.6 : hour < 22 ? 1.4 : 0.7;
  return Math.round(daily * season * (0.6 + (point % 17) / 20) * 1000) / 1000;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0;
};

try {
  if (!values.reuse) {
    await influx.ensureBucket({ name: config.influx.buckets.readings, retentionSeconds: 0 });
    await influx.ensureBucket({ name: config.influx.buckets.rollups, retentionSeconds: 0 });
  }
  await admin.ensureTopics(auditTopics.map((topic) => ({ topic, partitions: 1 })));
  const endMs = Date.UTC(2026, 10, 30, 22); // 1 Dec 2026 00:00 Helsinki
  const startMs = endMs - DAYS * 24 * HOUR;
  const registry = new IoredisRegistryStore(redis, `${id}:registry`);
  const t0 = performance.now();
  let written = 0;
  // 5,000-line requests, four in flight, as the ingest worker writes.
  const CHUNK = 5000;
  const IN_FLIGHT = 4;
  const pending: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = async (lines: string[]) => {
    if (lines.length === 0) return;
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    const write: Promise<void> = influx
      .writeLines(config.influx.buckets.rollups, lines)
      .then((r) => {
        written += r.written;
      })
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
  };
  // Area by area (point p is in area p % AREAS), so the per-area rollups of an area are
  // computed from all its series' hourly and daily points at once.
  const perArea = Math.ceil(POINTS / AREAS);
  const areaName = (a: number) => `${String(a).padStart(3, '0')}xx`;
  const firstArea = RESUME_AREA ?? (values.reuse ? AREAS : 0);
  for (let a = firstArea; RESUME_AREA !== undefined && a < AREAS; a++) {
    await influx.deletePoints(
      config.influx.buckets.rollups,
      `area="${areaName(a)}"`,
      '1970-01-01T00:00:00Z',
      '2200-01-01T00:00:00Z',
    );
  }
  let done = firstArea < AREAS ? firstArea * perArea : 0;
  for (let a = firstArea; a < AREAS; a++) {
    const area = areaName(a);
    const areaHours: RollupPoint[] = [];
    const areaDays: RollupPoint[] = [];
    for (let i = 0; i < perArea; i++) {
      const p = a + i * AREAS;
      if (p >= POINTS) break;
      const pseudonym = randomBytes(16).toString('hex');
      const mp = `bench-${p}`;
      await registry.putContract(
        {
          contractId: `K-${p}`,
          customerId: String(100_000 + p),
          siteId: `S-${p}`,
          postalCode: `${area.slice(0, 3)}00`,
          meteringPointIds: [mp],
          startDate: '2020-01-01',
          endDate: null,
          status: 'active',
          updatedAt: new Date().toISOString(),
          startMs,
          endMs: null,
          pseudonyms: { [mp]: pseudonym },
          area,
        },
        undefined,
      );
      const tags = {
        pseudonym,
        area,
        commodity: 'electricity',
        direction: 'consumption',
        resolution: 'PT15M',
      };
      const hours: RollupPoint[] = [];
      for (let t = startMs; t < endMs; t += HOUR) {
        hours.push({ ...tags, startMs: t, kwh: load(p, t), intervals: 4, quality: 'measured' });
      }
      const days = rollupDays(hours);
      if (!values['area-only']) {
        for (const h of hours) pending.push(rollupLine(HOURLY_MEASUREMENT, h));
        for (const d of days) pending.push(rollupLine(DAILY_MEASUREMENT, d));
      }
      areaHours.push(...hours);
      areaDays.push(...days);
      while (pending.length >= CHUNK) await send(pending.splice(0, CHUNK));
      done += 1;
    }
    // Each bench point is its own customer (as the registry above says).
    const self = (pseudonym: string) => `series:${pseudonym}`;
    for (const h of rollupAreas(areaHours, self)) {
      pending.push(areaRollupLine(AREA_HOURLY_MEASUREMENT, h));
    }
    for (const d of rollupAreas(areaDays, self)) {
      pending.push(areaRollupLine(AREA_DAILY_MEASUREMENT, d));
    }
    while (pending.length >= CHUNK) await send(pending.splice(0, CHUNK));
    if ((a + 1) % Math.max(1, Math.floor(AREAS / 10)) === 0) {
      const s = (performance.now() - t0) / 1000;
      say(
        `${fmt(done)} of ${fmt(POINTS)} points written (${fmt(written)} rollup points, ${s.toFixed(0)} s)`,
      );
    }
  }
  await send(pending.splice(0));
  await Promise.all(inFlight);
  const writeSeconds = (performance.now() - t0) / 1000;
  say(
    `wrote ${fmt(written)} rollup points in ${writeSeconds.toFixed(1)} s (${fmt(Math.round(written / writeSeconds))}/s)`,
  );

  // The load profile's monthly cells, as the rollup runner makes them: folded per cell from
  // the hourly area points of each local month (also from points a `--keep` run of the
  // former layout wrote with a `cell` tag: `--reuse` then writes the new cells).
  const c0 = performance.now();
  let cells = 0;
  for (let m = helsinkiMonthStart(startMs); m < endMs; m = nextHelsinkiMonth(m)) {
    const next = nextHelsinkiMonth(m);
    const figures = await influx.areaProfile(
      config.influx.buckets.rollups,
      { fromMs: m, toMs: next },
      { hoursOnly: true },
    );
    const lines = figures.map((c) => profileMonthLineOf(c, m));
    for (let i = 0; i < lines.length; i += CHUNK) {
      await influx.writeLines(config.influx.buckets.rollups, lines.slice(i, i + CHUNK));
    }
    cells += lines.length;
  }
  const cellSeconds = (performance.now() - c0) / 1000;
  say(`wrote ${fmt(cells)} monthly load-profile cells in ${cellSeconds.toFixed(1)} s`);

  api = createRightsApi(config, logger);
  const address = await api.start(0);
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const token = await api.tokens.create('bench', 'analyst', ['grid_planning', 'market_research']);
  const iso = (ms: number) => new Date(ms).toISOString();
  // The load profile takes whole local months (the fixed period grid): from the first month
  // start in the data (endMs is one).
  const firstMonth =
    helsinkiMonthStart(startMs) === startMs
      ? startMs
      : nextHelsinkiMonth(helsinkiMonthStart(startMs));
  const queries = {
    profile: [
      `/v1/analytics/load-profile?from=${iso(firstMonth)}&to=${iso(endMs)}`,
      'grid_planning',
    ],
    daily: [
      `/v1/analytics/aggregates?from=${iso(endMs - 30 * 24 * HOUR)}&to=${iso(endMs)}&every=day`,
      'grid_planning',
    ],
    dp: [
      `/v1/analytics/aggregates?from=${iso(endMs - 30 * 24 * HOUR)}&to=${iso(endMs)}&every=day`,
      'market_research',
    ],
  } as const;
  const figures: Record<string, number> = {};
  for (const [name, [path, purpose]] of Object.entries(queries)) {
    const times: number[] = [];
    let groups = 0;
    for (let i = 0; i < RUNS; i++) {
      const q0 = performance.now();
      const r = await fetch(`${url}${path}`, {
        headers: { authorization: `Bearer ${token}`, 'x-lukema-purpose': purpose },
      });
      const body = (await r.json()) as { groups?: unknown[]; error?: string };
      if (!r.ok) throw new Error(`${name}: ${r.status} ${body.error}`);
      times.push((performance.now() - q0) / 1000);
      groups = body.groups?.length ?? 0;
    }
    figures[`${name}_p50_s`] = quantile(times, 0.5);
    figures[`${name}_p95_s`] = quantile(times, 0.95);
    say(
      `${name}: ${groups} groups; p50 ${quantile(times, 0.5).toFixed(3)} s, p95 ${quantile(times, 0.95).toFixed(3)} s over ${RUNS} runs`,
    );
  }
  console.log(
    `points=${POINTS} areas=${AREAS} days=${DAYS} series_written=${values['area-only'] ? 'no' : RESUME_AREA !== undefined ? `resumed-from-area-${RESUME_AREA}` : values.reuse ? 'reused' : 'yes'} rollup_points=${written} write_s=${writeSeconds.toFixed(1)} cells_s=${cellSeconds.toFixed(1)} ` +
      Object.entries(figures)
        .map(([k, v]) => `${k}=${v.toFixed(3)}`)
        .join(' ') +
      ` rss_mb=${(process.memoryUsage().rss / 2 ** 20).toFixed(0)}`,
  );
} finally {
  await api?.stop().catch(() => undefined);
  if (values.keep || values.reuse) {
    say(`kept the data: --reuse ${id}`);
  } else {
    await influx.deleteBucket(config.influx.buckets.readings).catch(() => undefined);
    await influx.deleteBucket(config.influx.buckets.rollups).catch(() => undefined);
    await admin.deleteTopics(auditTopics).catch(() => undefined);
    const keys = await redis.keys(`${id}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await admin.close();
  redis.disconnect();
}

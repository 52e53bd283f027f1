import { HttpError, InfluxDB, type Transport } from '@influxdata/influxdb-client';
import {
  type Contribution,
  consecutiveRuns,
  decodeReadingMarks,
  directionOfTag,
  EngineUnavailableError,
  type ExportReading,
  type LineChunk,
  type ReadingRun,
  type RollupPoint,
  type RunSink,
  resolutionOfTag,
  type SeriesReading,
} from '@lukema/core';
import { type PeriodQuery, periodContributionsFlux } from './analytics-queries.js';
import {
  type AreaFigureQuery,
  type AreaFigureRow,
  type AreaFigures,
  areaPeriodsFlux,
  foldAreaRows,
} from './area-queries.js';
import { ExportSeriesParser } from './export-series-parser.js';
import { fluxTime } from './flux-values.js';
import { HttpFluxReader } from './http-flux-reader.js';
import { HttpLineWriter } from './http-line-writer.js';
import {
  LEGACY_DELETE_PREDICATES,
  legacyPointsFlux,
  legacySeriesProbeFlux,
  sparsePointsFlux,
} from './legacy-layout-queries.js';
import type {
  BucketSpec,
  ChunkWriter,
  DailyConsumption,
  ExportSeries,
  FluxReader,
  InfluxAdmin,
  LegacyLayoutStore,
  LegacyPoint,
  LineWriter,
  Permission,
  ReadingsReader,
  RollupStore,
  SeriesStore,
  StoredPoint,
  WriteResult,
} from './ports.js';
import { ProfileFold } from './profile-fold.js';
import { profileReads } from './profile-queries.js';
import { QueryRejectedError } from './query-rejected-error.js';
import { QueryTooLargeError } from './query-too-large-error.js';
import {
  type DailyConsumptionQuery,
  dailyConsumptionFlux,
  pseudonymDeletePredicates,
  seriesDeletePredicate,
  seriesReadingsFluxes,
  storedPointsFlux,
} from './readings-queries.js';
import {
  readingsInRangeFlux,
  rollupDeletePredicate,
  rollupsInRangeFlux,
} from './rollup-queries.js';
import { type StoredRow, storedPointsOf } from './stored-points.js';
import { UnmigratedLayoutError } from './unmigrated-layout-error.js';
import { WriteRejectedError } from './write-rejected-error.js';

export interface InfluxOptions {
  readonly url: string;
  readonly token: string;
  readonly org: string;
  readonly timeoutMs?: number;
  /** gzip level of line-protocol writes (default 1, the fastest; 0: uncompressed). */
  readonly writeGzipLevel?: number;
  /** Most rows a per-series analytics read may return (`periodContributions`); unbounded if unset. */
  readonly maxQueryRows?: number;
}

/** The rows of a query, its transport failures typed as `classify` types them. */
async function* rowsOrClassified<R>(rows: AsyncIterable<R>): AsyncGenerator<R> {
  try {
    yield* rows;
  } catch (error) {
    throw classify(error, 'query');
  }
}

/** Maps a transport failure to a typed error: server/connection trouble is retriable. */
function classify(error: unknown, what: string): Error {
  if (error instanceof HttpError) {
    if (error.statusCode >= 500 || error.statusCode === 429) {
      return new EngineUnavailableError('influxdb', { cause: error, context: { what } });
    }
    if (what === 'query') {
      return new QueryRejectedError(error.statusCode, error.body ?? error.message, {
        cause: error,
        context: { what },
      });
    }
    return new WriteRejectedError(error.statusCode, error.body ?? error.message, {
      cause: error,
      context: { what },
    });
  }
  return new EngineUnavailableError('influxdb', { cause: error, context: { what } });
}

type SeriesRow = {
  readonly _time: string;
  readonly pseudonym: string;
  readonly area: string;
  readonly commodity?: string;
  readonly direction: string;
  readonly resolution: string;
};

const seriesTags = (r: SeriesRow) => ({
  pseudonym: r.pseudonym,
  area: r.area,
  commodity: r.commodity ?? 'electricity',
  direction: r.direction,
  resolution: r.resolution,
});

/** The one adapter from Lukema's InfluxDB ports to @influxdata/influxdb-client. */
/** The export's queries of one series (the bench's floor runs exactly these). */
function exportFluxes(bucket: string, series: Omit<ExportSeries, 'meteringPointId'>): string[] {
  return seriesReadingsFluxes(bucket, series.pseudonym, series.startMs, series.endMs, Date.now());
}

/** The parsers' readings in the first (each parser a later slice of the same series). */
function joined(parsers: readonly ExportSeriesParser[]): ExportSeriesParser {
  const [first, ...later] = parsers as [ExportSeriesParser, ...ExportSeriesParser[]];
  for (const p of later) first.append(p);
  return first;
}

/**
 * The slices' runs: their streamed merges, one run per slice, when they are consecutive
 * slices of one series (neither merged again nor copied into one run); else (not streamed
 * whole) merged anew.
 */
function streamedOrMerged(
  parsers: readonly ExportSeriesParser[],
  meteringPointId: string,
): ReadingRun[] {
  const streamed = parsers.map((p) => p.streamedRuns());
  if (streamed.every((r) => r !== undefined)) {
    const runs = consecutiveRuns(streamed.flat());
    if (runs !== null) return runs;
  }
  return joined(parsers).runs(meteringPointId);
}

/** A sink that drops what it is given: the merge as the response arrives, for its own sake. */
const IGNORED: RunSink = { add: () => undefined, end: () => undefined };

export class InfluxClientAdapter
  implements
    LineWriter,
    ChunkWriter,
    FluxReader,
    ReadingsReader,
    SeriesStore,
    LegacyLayoutStore,
    RollupStore,
    InfluxAdmin
{
  private readonly client: InfluxDB;
  private readonly transport: Transport;
  private readonly lineWriter: HttpLineWriter;
  private readonly fluxReader: HttpFluxReader;
  private orgId: Promise<string> | null = null;

  constructor(private readonly options: InfluxOptions) {
    this.client = new InfluxDB({
      url: options.url,
      token: options.token,
      timeout: options.timeoutMs ?? 30_000,
    });
    this.transport = this.client.transport;
    this.lineWriter = new HttpLineWriter({ ...options, timeoutMs: options.timeoutMs ?? 30_000 });
    this.fluxReader = new HttpFluxReader({ ...options, timeoutMs: options.timeoutMs ?? 30_000 });
  }

  writeLines(bucket: string, lines: readonly string[]): Promise<WriteResult> {
    return this.lineWriter.write(bucket, Buffer.from(lines.join('\n')), lines.length);
  }

  writeChunk(bucket: string, chunk: LineChunk): Promise<WriteResult> {
    return this.lineWriter.write(bucket, chunk.body, chunk.count);
  }

  async rows<T extends Record<string, unknown>>(flux: string): Promise<T[]> {
    try {
      return await this.client.getQueryApi(this.options.org).collectRows<T>(flux);
    } catch (error) {
      throw classify(error, 'query');
    }
  }

  eachLine(flux: string, onLine: (line: string) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.getQueryApi(this.options.org).queryLines(flux, {
        next: onLine,
        error: (error) => reject(classify(error, 'query')),
        complete: () => resolve(),
      });
    });
  }

  async dailyConsumption(
    bucket: string,
    query: DailyConsumptionQuery,
  ): Promise<DailyConsumption[]> {
    const rows = await this.rows<{ p: string; _time: string; _value: number }>(
      dailyConsumptionFlux(bucket, query),
    );
    return rows.map((r) => ({ pseudonym: r.p, day: r._time, kwh: r._value }));
  }

  /**
   * @throws QueryTooLargeError past `maxQueryRows` rows: the read is abandoned (its
   * connection closed) as the limit is crossed, so no answer is held whole.
   */
  async periodContributions(bucket: string, query: PeriodQuery): Promise<Contribution[]> {
    const contributions: Contribution[] = [];
    const max = this.options.maxQueryRows ?? Number.POSITIVE_INFINITY;
    const rows = this.client
      .getQueryApi(this.options.org)
      .iterateRows(periodContributionsFlux(bucket, query));
    for await (const { values, tableMeta } of rowsOrClassified(rows)) {
      if (contributions.length >= max) throw new QueryTooLargeError(max);
      const r = tableMeta.toObject(values) as {
        pseudonym: string;
        area: string;
        commodity: string;
        direction: string;
        _time: string;
        _value: number;
      };
      contributions.push({
        pseudonym: r.pseudonym,
        area: r.area,
        commodity: r.commodity,
        direction: r.direction,
        startMs: Date.parse(r._time),
        kwh: r._value,
      });
    }
    return contributions;
  }

  areaPeriods(bucket: string, query: PeriodQuery): Promise<AreaFigures[]> {
    return this.areaFigures(areaPeriodsFlux(bucket, query));
  }

  async areaProfile(
    bucket: string,
    query: Omit<PeriodQuery, 'granularity'>,
    options: { readonly hoursOnly?: boolean; readonly pieces?: number } = {},
  ): Promise<AreaFigures[]> {
    // Raw rows folded per cell here (see profile-queries.ts), each response parsed as it
    // arrives; the reads run concurrently.
    const fold = new ProfileFold();
    await Promise.all(
      profileReads(bucket, query, options).map(async (read) => {
        const rows = fold.rows(read.kind);
        await this.fluxReader.query(read.flux, rows.chunk);
        rows.end();
      }),
    );
    return fold.figures();
  }

  private async areaFigures(queries: readonly AreaFigureQuery[]): Promise<AreaFigures[]> {
    const parts = await Promise.all(
      queries.map(async (q) => {
        const rows = await this.rows<AreaFigureRow>(q.flux);
        return q.field === undefined
          ? rows
          : rows.map((r) => ({ ...r, _field: q.field as string }));
      }),
    );
    return foldAreaRows(parts.flat());
  }

  async readingsInRange(bucket: string, fromMs: number, toMs: number): Promise<SeriesReading[]> {
    const rows = await this.rows<{
      _time: string;
      d: string;
      p?: string;
      r: string;
      kwh?: number | null;
      q?: number | null;
    }>(readingsInRangeFlux(bucket, fromMs, toMs));
    const out: SeriesReading[] = [];
    for (const r of rows) {
      // A point of an earlier layout (not migrated yet) has no `p` (read as empty or absent).
      if (!r.p) continue;
      out.push({
        pseudonym: r.p,
        commodity: 'electricity',
        direction: directionOfTag(r.d),
        resolution: resolutionOfTag(r.r),
        timeMs: Date.parse(r._time),
        kwh: typeof r.kwh === 'number' ? r.kwh : null,
        // The sparse layout: no `q` is a measured reading.
        quality: decodeReadingMarks(typeof r.q === 'number' ? r.q : 0).quality,
      });
    }
    return out;
  }

  async rollupsInRange(
    bucket: string,
    measurement: string,
    fromMs: number,
    toMs: number,
  ): Promise<RollupPoint[]> {
    const rows = await this.rows<
      SeriesRow & { kwh?: number | null; intervals?: number | null; quality?: string | null }
    >(rollupsInRangeFlux(bucket, measurement, fromMs, toMs));
    return rows.map((r) => ({
      ...seriesTags(r),
      startMs: Date.parse(r._time),
      kwh: typeof r.kwh === 'number' ? r.kwh : null,
      intervals: Number(r.intervals ?? 0),
      quality: r.quality ?? 'missing',
    }));
  }

  deleteRollups(bucket: string, measurement: string, fromMs: number, toMs: number): Promise<void> {
    return this.deletePoints(
      bucket,
      rollupDeletePredicate(measurement),
      fluxTime(fromMs, 'from'),
      // The delete API's stop is inclusive; the port's is not.
      fluxTime(toMs - 1, 'to'),
    );
  }

  /**
   * One series' readings for an export: a long period is read as two halves concurrently,
   * each response parsed from its bytes as they arrive (see ExportSeriesParser).
   */
  async seriesReadings(bucket: string, series: ExportSeries): Promise<ExportReading[]> {
    const parsers = await this.parsers(bucket, series);
    const readings = joined(parsers).readings(series.meteringPointId);
    for (const p of parsers) p.release();
    return readings;
  }

  /** One parser per query of the series (its slices, in time order), run concurrently. */
  private async parsers(
    bucket: string,
    series: ExportSeries,
    slices?: (slice: number, of: number) => RunSink,
  ): Promise<ExportSeriesParser[]> {
    const fluxes = exportFluxes(bucket, series);
    // Beside the reads: points of the series in an earlier layout would be left out.
    const stopMs = series.endMs ?? Date.now() + 366 * 86_400_000;
    const [unmigrated, ...parsers] = await Promise.all([
      this.rows(legacySeriesProbeFlux(bucket, series.pseudonym, series.startMs, stopMs)),
      ...fluxes.map(async (flux, k) => {
        const parser = new ExportSeriesParser();
        if (slices) parser.streamTo(slices(k, fluxes.length), series.meteringPointId);
        await this.fluxReader.query(flux, parser.chunk);
        parser.end();
        return parser;
      }),
    ]);
    if (unmigrated.length > 0) {
      for (const p of parsers) p.release();
      throw new UnmigratedLayoutError();
    }
    return parsers;
  }

  /**
   * `seriesReadings` as runs of typed arrays (see ReadingRun): no object per reading; each
   * query's readings also handed to a sink of `slices` as they arrive, if given.
   */
  async seriesReadingRuns(
    bucket: string,
    series: ExportSeries,
    slices?: (slice: number, of: number) => RunSink,
  ): Promise<ReadingRun[]> {
    const parsers = await this.parsers(bucket, series, slices ?? (() => IGNORED));
    const runs = streamedOrMerged(parsers, series.meteringPointId);
    for (const p of parsers) p.release();
    return runs;
  }

  /**
   * The floor of `seriesReadings`: the same queries, run the same way, their responses
   * received and dropped, nothing parsed. For the export benchmark.
   */
  async seriesReadingsRaw(
    bucket: string,
    series: Omit<ExportSeries, 'meteringPointId'>,
  ): Promise<{ bytes: number; queries: number }> {
    const fluxes = exportFluxes(bucket, series);
    let bytes = 0;
    await Promise.all(
      fluxes.map((flux) =>
        this.fluxReader.query(flux, (chunk) => {
          bytes += chunk.length;
        }),
      ),
    );
    return { bytes, queries: fluxes.length };
  }

  async storedPoints(bucket: string, pseudonym: string): Promise<StoredPoint[]> {
    return storedPointsOf(await this.rows<StoredRow>(storedPointsFlux(bucket, pseudonym)));
  }

  async legacyPoints(bucket: string, fromMs: number, toMs: number): Promise<LegacyPoint[]> {
    const rows = await this.rows<Record<string, unknown>>(legacyPointsFlux(bucket, fromMs, toMs));
    return rows.map((r) => ({
      ...(r as Omit<LegacyPoint, 'measurement' | 'time'>),
      measurement: String(r._measurement),
      time: String(r._time),
    }));
  }

  async sparseReadingKeys(bucket: string, fromMs: number, toMs: number): Promise<Set<string>> {
    const rows = await this.rows<Record<string, string>>(sparsePointsFlux(bucket, fromMs, toMs));
    return new Set(
      rows.map(
        (r) =>
          `${r.p}|${directionOfTag(r.d ?? '')}|${resolutionOfTag(r.r ?? '')}|${Date.parse(r._time ?? '')}`,
      ),
    );
  }

  async deleteLegacyPoints(bucket: string, fromMs: number, toMs: number): Promise<void> {
    for (const predicate of LEGACY_DELETE_PREDICATES) {
      await this.deletePoints(
        bucket,
        predicate,
        fluxTime(fromMs, 'from'),
        fluxTime(toMs - 1, 'to'),
      );
    }
  }

  async deleteSeriesPoints(
    bucket: string,
    pseudonym: string,
    startMs: number,
    stopMs: number,
  ): Promise<void> {
    return this.deletePoints(
      bucket,
      seriesDeletePredicate(pseudonym),
      fluxTime(startMs, 'start'),
      // The delete API's stop is inclusive; the port's is not.
      fluxTime(stopMs - 1, 'stop'),
    );
  }

  async deleteSeries(bucket: string, pseudonym: string): Promise<void> {
    for (const predicate of pseudonymDeletePredicates(pseudonym)) {
      await this.deletePoints(bucket, predicate, '1970-01-01T00:00:00Z', '2200-01-01T00:00:00Z');
    }
  }

  /** Calls the v2 HTTP API; a 404 resolves to undefined (lookups of what may not exist). */
  private async api<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    try {
      return (await this.transport.request(path, body === undefined ? '' : JSON.stringify(body), {
        method,
        headers: { 'content-type': 'application/json' },
      })) as T;
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 404) return undefined;
      throw classify(error, `${method} ${path.split('?')[0]}`);
    }
  }

  private resolveOrgId(): Promise<string> {
    this.orgId ??= this.api<{ orgs: Array<{ id: string }> }>(
      'GET',
      `/api/v2/orgs?org=${encodeURIComponent(this.options.org)}`,
    ).then((r) => {
      const id = r?.orgs[0]?.id;
      if (!id) throw new Error(`InfluxDB org ${this.options.org} does not exist`);
      return id;
    });
    return this.orgId;
  }

  async bucketRetentionSeconds(name: string): Promise<number | undefined> {
    const bucket = await this.findBucket(name);
    if (!bucket) return undefined;
    const rule = bucket.retentionRules?.find((r) => r.type === 'expire');
    return rule?.everySeconds ?? 0;
  }

  private async findBucket(
    name: string,
  ): Promise<
    { id: string; retentionRules?: Array<{ type: string; everySeconds: number }> } | undefined
  > {
    const r = await this.api<{
      buckets: Array<{
        id: string;
        name: string;
        retentionRules?: Array<{ type: string; everySeconds: number }>;
      }>;
    }>(
      'GET',
      `/api/v2/buckets?org=${encodeURIComponent(this.options.org)}&name=${encodeURIComponent(name)}`,
    );
    return r?.buckets.find((b) => b.name === name);
  }

  async ensureBucket(spec: BucketSpec): Promise<{ id: string; created: boolean }> {
    const orgID = await this.resolveOrgId();
    const retentionRules = [{ type: 'expire', everySeconds: spec.retentionSeconds }];
    const existing = await this.findBucket(spec.name);
    if (existing) {
      await this.api('PATCH', `/api/v2/buckets/${existing.id}`, { retentionRules });
      return { id: existing.id, created: false };
    }
    const created = await this.api<{ id: string }>('POST', '/api/v2/buckets', {
      orgID,
      name: spec.name,
      description: spec.description ?? '',
      retentionRules,
    });
    if (!created) throw new Error(`InfluxDB did not create bucket ${spec.name}`);
    return { id: created.id, created: true };
  }

  async createToken(description: string, permissions: readonly Permission[]): Promise<string> {
    const orgID = await this.resolveOrgId();
    const resolved = await Promise.all(
      permissions.map(async (p) => {
        const bucket = await this.findBucket(p.bucket);
        if (!bucket) throw new Error(`bucket ${p.bucket} does not exist`);
        return { action: p.action, resource: { type: 'buckets', id: bucket.id, orgID } };
      }),
    );
    const r = await this.api<{ token: string }>('POST', '/api/v2/authorizations', {
      orgID,
      description,
      permissions: resolved,
    });
    if (!r) throw new Error('InfluxDB did not create the token');
    return r.token;
  }

  async deleteToken(token: string): Promise<void> {
    const r = await this.api<{ authorizations: Array<{ id: string; token?: string }> }>(
      'GET',
      `/api/v2/authorizations?org=${encodeURIComponent(this.options.org)}`,
    );
    const found = r?.authorizations.find((a) => a.token === token);
    if (found) await this.api('DELETE', `/api/v2/authorizations/${found.id}`);
  }

  async deleteBucket(name: string): Promise<void> {
    const bucket = await this.findBucket(name);
    if (bucket) await this.api('DELETE', `/api/v2/buckets/${bucket.id}`);
  }

  async deletePoints(
    bucket: string,
    predicate: string,
    startIso: string,
    stopIso: string,
  ): Promise<void> {
    const q = `org=${encodeURIComponent(this.options.org)}&bucket=${encodeURIComponent(bucket)}`;
    await this.api('POST', `/api/v2/delete?${q}`, { start: startIso, stop: stopIso, predicate });
  }

  async version(): Promise<string> {
    const r = await this.api<{ version?: string }>('GET', '/health');
    return r?.version ?? 'unknown';
  }
}

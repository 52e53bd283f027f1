import type {
  Contribution,
  ExportReading,
  LineChunk,
  ReadingRun,
  RollupPoint,
  RunSink,
  SeriesReading,
} from '@lukema/core';
import type { PeriodQuery } from './analytics-queries.js';
import type { AreaFigures } from './area-queries.js';
import type { DailyConsumptionQuery } from './readings-queries.js';

/** The narrow InfluxDB port: only what Lukema's services call. */

export interface WriteResult {
  /** Lines InfluxDB stored. */
  readonly written: number;
  /** Lines InfluxDB refused as older than the bucket's retention (HTTP 422, partial write). */
  readonly droppedOutsideRetention: number;
  /**
   * The retention bound InfluxDB applied when it dropped points (epoch ms): every point
   * before it was refused. Absent when nothing was dropped or the reply did not state it.
   */
  readonly retentionBoundMs?: number;
}

/** Writes ready-made chunks of lines (the ingest hot path, see `LineBuffer`). */
export interface ChunkWriter {
  /**
   * Writes one chunk in one request and resolves once InfluxDB acknowledged it.
   * @throws EngineUnavailableError when InfluxDB cannot be reached or fails (retriable).
   * @throws WriteRejectedError when InfluxDB refuses the lines for good (not retriable).
   */
  writeChunk(bucket: string, chunk: LineChunk): Promise<WriteResult>;
}

export interface LineWriter {
  /**
   * Writes line-protocol lines (precision ms) in one request and resolves once InfluxDB
   * acknowledged them.
   * @throws EngineUnavailableError when InfluxDB cannot be reached or fails (retriable).
   * @throws WriteRejectedError when InfluxDB refuses the lines for good (not retriable).
   */
  writeLines(bucket: string, lines: readonly string[]): Promise<WriteResult>;
}

/**
 * Raw Flux, for tests and tools only: services read through `ReadingsReader` and
 * `SeriesStore`, whose Flux is built from checked values in `readings-queries.ts`.
 */
export interface FluxReader {
  /** Runs a Flux query and returns its rows as objects. */
  rows<T extends Record<string, unknown>>(flux: string): Promise<T[]>;
  /**
   * Runs a Flux query and calls `onLine` for each raw annotated-CSV line, synchronously:
   * no promise per row, for large results (exports).
   */
  eachLine(flux: string, onLine: (line: string) => void): Promise<void>;
}

export interface BucketSpec {
  readonly name: string;
  readonly retentionSeconds: number;
  readonly description?: string;
}

export type Permission = { readonly action: 'read' | 'write'; readonly bucket: string };

export interface InfluxAdmin {
  ensureBucket(spec: BucketSpec): Promise<{ id: string; created: boolean }>;
  /** Creates a token that holds exactly `permissions`; returns the token string. */
  createToken(description: string, permissions: readonly Permission[]): Promise<string>;
  /** Deletes the authorization holding this token; nothing when there is none. */
  deleteToken(token: string): Promise<void>;
  deleteBucket(name: string): Promise<void>;
  /** A bucket's retention in seconds (0: forever), or undefined when it does not exist. */
  bucketRetentionSeconds(name: string): Promise<number | undefined>;
  /** Deletes points matching a predicate (e.g. `pseudonym="x"`) in a time range. */
  deletePoints(bucket: string, predicate: string, startIso: string, stopIso: string): Promise<void>;
  version(): Promise<string>;
}

/** One pseudonym's consumption on one Finnish local day (its area is the registry's). */
export interface DailyConsumption {
  readonly pseudonym: string;
  /** The local day's start (00:00 Europe/Helsinki), RFC 3339 in UTC. */
  readonly day: string;
  readonly kwh: number;
}

/**
 * Reads stored readings in the domain's terms (the rights API: exports and analytics).
 * Every method checks its values before they reach a query.
 */
export interface ReadingsReader {
  /**
   * Daily consumption per pseudonym in `[fromMs, toMs)` (every area: the raw series have none).
   * @throws InvalidQueryValueError when a value is not of its documented shape.
   * @throws QueryRejectedError when InfluxDB refuses the query (not retriable).
   * @throws EngineUnavailableError when InfluxDB cannot be reached or fails (retriable).
   */
  dailyConsumption(bucket: string, query: DailyConsumptionQuery): Promise<DailyConsumption[]>;
  /**
   * Every series' kWh per Finnish local hour, day or month in `[fromMs, toMs)` (periods
   * stamped with their start), from the rollups in `bucket`, for the analysts' guarded
   * aggregates.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  periodContributions(bucket: string, query: PeriodQuery): Promise<Contribution[]>;
  /**
   * The per-area rollups' figures per area, commodity, direction and Finnish local period
   * in `[fromMs, toMs)` (see area-queries.ts), for guarded aggregates without a per-series scan.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  areaPeriods(bucket: string, query: PeriodQuery): Promise<AreaFigures[]>;
  /**
   * The per-area rollups' figures per area, commodity, direction and load-profile cell:
   * whole local months from the monthly profile cells, other hours (or, with `hoursOnly`,
   * every hour: what the rollup runner builds the monthly cells from) from the hourly ones.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  areaProfile(
    bucket: string,
    query: Omit<PeriodQuery, 'granularity'>,
    options?: { readonly hoursOnly?: boolean },
  ): Promise<AreaFigures[]>;
  /**
   * One series' readings in `[startMs, endMs)` (open-ended when null), in time order, for an
   * access export of `meteringPointId`.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  seriesReadings(bucket: string, series: ExportSeries): Promise<ExportReading[]>;
  /**
   * `seriesReadings` as runs of typed arrays (see ReadingRun), the same readings in the
   * same order with no object per reading: what the export's builders read. Optional.
   * With `slices`, the series is read as `of` queries (slices of its period, in time
   * order), and each slice's readings are also handed, in order, to the sink `slices`
   * gives for it, as they arrive: for building files while reading.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  seriesReadingRuns?(
    bucket: string,
    series: ExportSeries,
    slices?: (slice: number, of: number) => RunSink,
  ): Promise<ReadingRun[]>;
}

/**
 * One series an access export reads: a pseudonym over its contract period `[startMs, endMs)`
 * (open-ended when null), exported as `meteringPointId`.
 */
export interface ExportSeries {
  readonly pseudonym: string;
  readonly meteringPointId: string;
  readonly startMs: number;
  readonly endMs: number | null;
}

/** A stored reading point as rectification reads it back (all fields of one time). */
export interface StoredPoint {
  /** RFC 3339. */
  readonly time: string;
  readonly direction: string;
  readonly resolution: string;
  readonly kwh?: number | null;
  readonly quality: string;
  readonly flags?: string | null;
  readonly rev?: number | null;
  /** The push's Datahub status (`final`, `preliminary`), when it had one. */
  readonly data_status?: string | null;
}

/** Reads and deletes one pseudonym's stored points (rectification and erasure). */
export interface SeriesStore {
  /**
   * Every stored point of a pseudonym.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  storedPoints(bucket: string, pseudonym: string): Promise<StoredPoint[]>;
  /**
   * Deletes a pseudonym's points in `[startMs, stopMs)`.
   * @throws InvalidQueryValueError when the pseudonym or a time is not of its shape.
   */
  deleteSeriesPoints(
    bucket: string,
    pseudonym: string,
    startMs: number,
    stopMs: number,
  ): Promise<void>;
  /**
   * Deletes everything stored under a pseudonym, in every measurement and at any time
   * (erasure).
   * @throws InvalidQueryValueError when the pseudonym is not one.
   */
  deleteSeries(bucket: string, pseudonym: string): Promise<void>;
}

/**
 * A point of an earlier layout as the migration reads it (fields pivoted): the first one
 * (`commodity` tag, string fields, `rev` on every reading) or the second (the current
 * fields `kwh`, `q`, `flags`, `w` under spelled-out tags with `area`).
 */
export interface LegacyPoint {
  readonly measurement: string;
  /** RFC 3339. */
  readonly time: string;
  readonly pseudonym: string;
  readonly area: string;
  readonly direction: string;
  readonly resolution: string;
  readonly kwh?: number | null;
  readonly quality?: string | null;
  readonly flags?: string | null;
  readonly rev?: number | null;
  readonly data_status?: string | null;
  /** The first layout's constant tag (`electricity`); absent in the second. */
  readonly commodity?: string | null;
  /** The second layout's marks and revision record (see core's reading-code.ts, REVISION_FIELD). */
  readonly q?: number | null;
  readonly w?: number | null;
  /** A gap report's count of missing intervals. */
  readonly intervals?: number | null;
}

/** What the layout migration reads and deletes (see `migrate-layout` in the registry). */
export interface LegacyLayoutStore {
  /**
   * Earlier layouts' readings, revision records and gap reports in `[fromMs, toMs)`.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  legacyPoints(bucket: string, fromMs: number, toMs: number): Promise<LegacyPoint[]>;
  /**
   * `pseudonym|direction|resolution|epoch ms` of every current-layout reading and revision
   * record in `[fromMs, toMs)`.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  sparseReadingKeys(bucket: string, fromMs: number, toMs: number): Promise<Set<string>>;
  /**
   * Deletes every earlier layout's point in `[fromMs, toMs)`.
   * @throws InvalidQueryValueError when a time is not representable.
   */
  deleteLegacyPoints(bucket: string, fromMs: number, toMs: number): Promise<void>;
}

/** What the rollups read, replace and delete (the rollup service). */
export interface RollupStore {
  /**
   * Every stored reading (kwh, quality, series tags) in `[fromMs, toMs)`; no area (the
   * registry holds each pseudonym's, see `SeriesOwnership.areasOfPseudonyms`).
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  readingsInRange(bucket: string, fromMs: number, toMs: number): Promise<SeriesReading[]>;
  /**
   * The points of one rollup measurement (`energy_1h`, `energy_1d`) in `[fromMs, toMs)`.
   * @throws InvalidQueryValueError, QueryRejectedError, EngineUnavailableError as above.
   */
  rollupsInRange(
    bucket: string,
    measurement: string,
    fromMs: number,
    toMs: number,
  ): Promise<RollupPoint[]>;
  /**
   * Deletes one rollup measurement's points in `[fromMs, toMs)`.
   * @throws InvalidQueryValueError when the measurement or a time is not of its shape.
   */
  deleteRollups(bucket: string, measurement: string, fromMs: number, toMs: number): Promise<void>;
}

import type { LineChunk } from '@lukema/core';

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

/** Escapes a value for a double-quoted Flux string literal. */
export function fluxString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

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
  deleteBucket(name: string): Promise<void>;
  /** Deletes points matching a predicate (e.g. `pseudonym="x"`) in a time range. */
  deletePoints(bucket: string, predicate: string, startIso: string, stopIso: string): Promise<void>;
  version(): Promise<string>;
}

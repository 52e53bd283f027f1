import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { EngineUnavailableError } from '@lukema/core';
import { type KeepAliveTransport, keepAliveTransport } from './keep-alive-transport.js';
import type { WriteResult } from './ports.js';
import { WriteRejectedError } from './write-rejected-error.js';

const gzipAsync = promisify(gzip);

// InfluxDB 2.7's reply to a partial write: "partial write: dropped 2 points outside
// retention policy of duration 1h0m0s - oldest point m at … dropped because it violates a
// Retention Policy Lower Bound at 2026-11-25T10:28:14.372026552Z, …".
const OUTSIDE_RETENTION = /dropped (\d+) points? outside retention policy/;
const LOWER_BOUND = /Lower Bound at (\S+?Z)/;

export interface HttpLineWriterOptions {
  readonly url: string;
  readonly token: string;
  readonly org: string;
  readonly timeoutMs: number;
  /**
   * gzip level, default 1 (Z_BEST_SPEED); 0 sends the body as it is: beside InfluxDB on
   * the same host, compressing costs this process and decompressing costs InfluxDB CPU,
   * for bytes that only cross the loopback.
   */
  readonly writeGzipLevel?: number;
}

/**
 * The write path of the v2 API (`POST /api/v2/write`), on keep-alive connections: a body of
 * newline-separated lines, gzipped at the fastest level (on the same cores as InfluxDB,
 * compression time is taken from it). The client library's transport gzips at its default
 * level and only from a string, which costs a copy and more CPU per write.
 */
export class HttpLineWriter {
  private readonly transport: KeepAliveTransport;

  constructor(private readonly options: HttpLineWriterOptions) {
    this.transport = keepAliveTransport(options.url);
  }

  /**
   * Writes `count` lines held in `body` (line protocol, precision ms) to a bucket.
   * @throws EngineUnavailableError when InfluxDB cannot be reached or fails (retriable).
   * @throws WriteRejectedError when InfluxDB refuses the lines for good.
   */
  async write(bucket: string, body: Buffer, count: number): Promise<WriteResult> {
    if (count === 0) return { written: 0, droppedOutsideRetention: 0 };
    const level = this.options.writeGzipLevel ?? constants.Z_BEST_SPEED;
    const { status, text } =
      level === 0
        ? await this.post(bucket, body, false)
        : await this.post(bucket, await gzipAsync(body, { level }), true);
    if (status === 204) return { written: count, droppedOutsideRetention: 0 };
    const dropped = status === 422 ? OUTSIDE_RETENTION.exec(text) : null;
    if (dropped) {
      const n = Number(dropped[1]);
      const bound = Date.parse(LOWER_BOUND.exec(text)?.[1] ?? '');
      return {
        written: count - n,
        droppedOutsideRetention: n,
        ...(Number.isFinite(bound) ? { retentionBoundMs: bound } : {}),
      };
    }
    if (status >= 500 || status === 429) {
      throw new EngineUnavailableError('influxdb', {
        context: { what: 'write', status: String(status) },
      });
    }
    throw new WriteRejectedError(status, text, { context: { what: 'write' } });
  }

  private post(
    bucket: string,
    payload: Buffer,
    gzipped: boolean,
  ): Promise<{ status: number; text: string }> {
    const { url, org, token, timeoutMs } = this.options;
    // Appended to the URL as given, so InfluxDB behind a path prefix works too.
    const target = new URL(
      `${url.replace(/\/+$/, '')}/api/v2/write?org=${encodeURIComponent(org)}&bucket=${encodeURIComponent(bucket)}&precision=ms`,
    );
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        target,
        {
          method: 'POST',
          agent: this.transport.agent,
          timeout: timeoutMs,
          headers: {
            authorization: `Token ${token}`,
            'content-type': 'text/plain; charset=utf-8',
            ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
            'content-length': payload.length,
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (part: Buffer) => parts.push(part));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }),
          );
          res.on('error', (cause) => reject(unavailable(cause)));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`write timed out after ${timeoutMs} ms`)));
      req.on('error', (cause) => reject(unavailable(cause)));
      req.end(payload);
    });
  }
}

const unavailable = (cause: unknown) =>
  new EngineUnavailableError('influxdb', { cause, context: { what: 'write' } });

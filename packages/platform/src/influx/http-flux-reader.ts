import type { IncomingMessage } from 'node:http';
import { EngineUnavailableError } from '@lukema/core';
import { type KeepAliveTransport, keepAliveTransport } from './keep-alive-transport.js';
import { QueryRejectedError } from './query-rejected-error.js';
import { rawHttpPost } from './raw-http-post.js';

export interface HttpFluxReaderOptions {
  readonly url: string;
  readonly token: string;
  readonly org: string;
  readonly timeoutMs: number;
}

/**
 * The query path of the v2 API (`POST /api/v2/query`) for the large reads (an access
 * export): the annotated CSV's bytes are handed on as they arrive, chunk by chunk, with no
 * string per line, no gzip (on the same cores as InfluxDB compressing costs more than it
 * saves) and keep-alive connections. The client library splits the response into a string
 * per line and each line into cells, which cost more than InfluxDB's own encoding.
 */
export class HttpFluxReader {
  private readonly transport: KeepAliveTransport;

  constructor(private readonly options: HttpFluxReaderOptions) {
    this.transport = keepAliveTransport(options.url);
  }

  /**
   * Runs a Flux query; `onChunk` gets the annotated CSV (datatype, group and default
   * annotations, header) in the order it arrives. A chunk may end mid-line.
   * @throws EngineUnavailableError when InfluxDB cannot be reached or fails (retriable).
   * @throws QueryRejectedError when InfluxDB refuses the query (HTTP 4xx).
   */
  query(flux: string, onChunk: (chunk: Buffer) => void): Promise<void> {
    const { url, org, token, timeoutMs } = this.options;
    const target = new URL(
      `${url.replace(/\/+$/, '')}/api/v2/query?org=${encodeURIComponent(org)}`,
    );
    const body = JSON.stringify({
      query: flux,
      type: 'flux',
      dialect: { header: true, delimiter: ',', annotations: ['datatype', 'group', 'default'] },
    });
    if (target.protocol === 'http:') return this.rawQuery(target, body, onChunk);
    return new Promise((resolve, reject) => {
      const unavailable = (cause: unknown, status?: number) =>
        reject(
          new EngineUnavailableError('influxdb', {
            cause,
            context: { what: 'query', ...(status === undefined ? {} : { status: String(status) }) },
          }),
        );
      const req = this.transport.request(
        target,
        {
          method: 'POST',
          agent: this.transport.agent,
          timeout: timeoutMs,
          headers: {
            authorization: `Token ${token}`,
            'content-type': 'application/json',
            accept: 'application/csv',
          },
        },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            const parts: Buffer[] = [];
            res.on('data', (c: Buffer) => parts.push(c));
            res.on('error', (e) => unavailable(e, status));
            res.on('end', () => {
              const text = Buffer.concat(parts).toString('utf8');
              if (status >= 500 || status === 429) unavailable(undefined, status);
              else reject(new QueryRejectedError(status, text, { context: { what: 'query' } }));
            });
            return;
          }
          res.on('data', (c: Buffer) => {
            try {
              onChunk(c);
            } catch (error) {
              req.destroy();
              reject(error);
            }
          });
          res.on('error', (e) => unavailable(e));
          res.on('aborted', () => unavailable(new Error('response aborted')));
          res.on('end', () => resolve());
        },
      );
      req.on('timeout', () => req.destroy(new Error(`query timed out after ${timeoutMs} ms`)));
      req.on('error', (e) => unavailable(e));
      req.end(body);
    });
  }

  /** `query` over a plain socket (see rawHttpPost): the body in 64 KiB reads, not ~3 KiB. */
  private async rawQuery(
    target: URL,
    body: string,
    onChunk: (chunk: Buffer) => void,
  ): Promise<void> {
    const { token, timeoutMs } = this.options;
    let status = 0;
    const failure: Buffer[] = [];
    let chunkError: { error: unknown } | undefined;
    try {
      await rawHttpPost(
        {
          host: target.hostname,
          port: Number(target.port || 80),
          path: `${target.pathname}${target.search}`,
          headers: {
            authorization: `Token ${token}`,
            'content-type': 'application/json',
            accept: 'application/csv',
          },
          body,
          timeoutMs,
        },
        {
          status: (code) => {
            status = code;
          },
          body: (piece) => {
            if (status !== 200) {
              // A copy: the piece is a view of the socket's reused read buffer.
              failure.push(Buffer.from(piece));
              return;
            }
            try {
              onChunk(piece);
            } catch (error) {
              chunkError = { error };
              throw error;
            }
          },
        },
      );
    } catch (cause) {
      if (chunkError !== undefined) throw chunkError.error;
      throw new EngineUnavailableError('influxdb', {
        cause,
        context: { what: 'query', ...(status === 0 ? {} : { status: String(status) }) },
      });
    }
    if (status === 200) return;
    if (status >= 500 || status === 429) {
      throw new EngineUnavailableError('influxdb', {
        context: { what: 'query', status: String(status) },
      });
    }
    const text = Buffer.concat(failure).toString('utf8');
    throw new QueryRejectedError(status, text, { context: { what: 'query' } });
  }
}

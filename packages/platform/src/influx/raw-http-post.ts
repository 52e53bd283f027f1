import { connect, type Socket } from 'node:net';

const CR = 13;
const LF = 10;

export interface RawPostTarget {
  readonly host: string;
  readonly port: number;
  /** Path and query, e.g. `/api/v2/query?org=x`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

export interface RawPostHandlers {
  /** The response's status, before any body byte. */
  readonly status: (code: number) => void;
  /**
   * A piece of the decoded body (chunked framing removed), in order; may end mid-line. The
   * piece is a view of the socket's read buffer, which the next read overwrites: valid
   * during the call only (copy what is kept).
   */
  readonly body: (piece: Buffer) => void;
}

/** The response broke the HTTP/1.1 framing this client reads. */
class HttpFramingError extends Error {}

/** Bytes the socket reads into at a time: a read takes what the kernel holds, up to this. */
const READ_BYTES = 256 * 1024;
/**
 * Read buffers given back by finished requests, for the next ones: each request reads into
 * one buffer of its own, reused read after read (no allocation per read: ~20 MiB of
 * external memory an export, which made V8 collect garbage during the read).
 */
const READ_BUFFERS: Buffer[] = [];
const READ_BUFFERS_KEPT = 4;

/**
 * One HTTP/1.1 POST over a plain TCP socket (`Connection: close`), the response body
 * handed on as the socket reads it: each read into the same buffer (up to 256 KiB, Node's
 * `onread`: no buffer allocated per read), the chunked framing stripped in place (the
 * chunks' data of one read moved together, one piece), no stream or event per chunk of the
 * sender. Node's HTTP client emits InfluxDB's ~3 KiB chunks one by one (~6,800 an export),
 * which costs more than parsing them. For `http:` only; rejects with the socket's error, a
 * timeout or a framing error.
 */
export function rawHttpPost(target: RawPostTarget, on: RawPostHandlers): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(target.body, 'utf8');
    const head = [
      `POST ${target.path} HTTP/1.1`,
      `host: ${target.host}:${target.port}`,
      ...Object.entries(target.headers).map(([k, v]) => `${k}: ${v}`),
      `content-length: ${body.length}`,
      'connection: close',
      '',
      '',
    ].join('\r\n');
    const readBuffer = READ_BUFFERS.pop() ?? Buffer.allocUnsafe(READ_BYTES);
    let settled = false;
    const giveBack = () => {
      if (READ_BUFFERS.length < READ_BUFFERS_KEPT) READ_BUFFERS.push(readBuffer);
    };
    const socket: Socket = connect({
      host: target.host,
      port: target.port,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number, buf: Uint8Array) => {
          onData(buf as Buffer, bytes);
          return true;
        },
      },
    });
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      giveBack();
      reject(error);
    };
    const done = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      giveBack();
      resolve();
    };
    socket.setNoDelay(true);
    socket.setTimeout(target.timeoutMs, () =>
      fail(new Error(`query timed out after ${target.timeoutMs} ms`)),
    );
    socket.on('error', fail);
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));

    let header: Buffer | null = Buffer.alloc(0);
    let chunked = false;
    /** Bytes of the body still expected: of the current chunk, or of the whole body. */
    let remaining = -1;
    /** Chunked: bytes of a chunk-size line (or the CRLF after data) read so far. */
    let line: Buffer | null = null;
    let afterData = false;
    let finished = false;

    const readBody = (buf: Buffer, from: number, n: number): void => {
      const at = from;
      if (!chunked) {
        if (remaining < 0) {
          if (at < n) on.body(buf.subarray(at, n));
          return;
        }
        const take = Math.min(remaining, n - at);
        if (take > 0) on.body(buf.subarray(at, at + take));
        remaining -= take;
        if (remaining === 0) finished = true;
        return;
      }
      // The data of the chunks in this read, moved together in place: one piece.
      const end = readChunks(buf, at, n);
      if (end > at) on.body(buf.subarray(at, end));
    };

    /** Strips the framing of `buf`'s bytes `from`..`n`; the data ends up `from`..returned. */
    const readChunks = (buf: Buffer, from: number, n: number): number => {
      let at = from;
      let out = from;
      while (at < n && !finished) {
        if (remaining > 0) {
          const take = Math.min(remaining, n - at);
          if (out !== at) buf.copyWithin(out, at, at + take);
          out += take;
          remaining -= take;
          at += take;
          if (remaining === 0) afterData = true;
          continue;
        }
        // A line: the CRLF after a chunk's data, or a chunk-size line (copied when it
        // continues in the next read, which overwrites this buffer).
        // Only up to `n`: the buffer holds an earlier read's bytes past it.
        let lf = buf.indexOf(LF, at);
        if (lf >= n) lf = -1;
        const end = lf === -1 ? n : lf + 1;
        const part = buf.subarray(at, end);
        line = line === null ? (lf === -1 ? Buffer.from(part) : part) : Buffer.concat([line, part]);
        at = end;
        if (lf === -1) break;
        const text = line.toString(
          'latin1',
          0,
          line.length - (line[line.length - 2] === CR ? 2 : 1),
        );
        line = null;
        if (afterData) {
          if (text !== '') throw new HttpFramingError('no line break after a chunk');
          afterData = false;
          continue;
        }
        const size = Number.parseInt(text.split(';')[0] ?? '', 16);
        if (!Number.isFinite(size) || size < 0) throw new HttpFramingError('bad chunk size');
        // After the last chunk (size 0), trailers, if any, are not read.
        if (size === 0) finished = true;
        else remaining = size;
      }
      return out;
    };

    const onData = (buf: Buffer, bytes: number): void => {
      if (settled) return;
      try {
        if (header !== null) {
          const all: Buffer =
            header.length === 0
              ? buf.subarray(0, bytes)
              : Buffer.concat([header, buf.subarray(0, bytes)]);
          const end = all.indexOf('\r\n\r\n');
          if (end === -1) {
            // Kept past this read, which the next one overwrites: a copy.
            header = Buffer.from(all);
            return;
          }
          header = null;
          const lines = all.toString('latin1', 0, end).split('\r\n');
          const status = Number((lines[0] ?? '').split(' ')[1]);
          if (!Number.isInteger(status)) throw new HttpFramingError('bad status line');
          for (const l of lines.slice(1)) {
            const colon = l.indexOf(':');
            const name = l.slice(0, colon).trim().toLowerCase();
            const value = l
              .slice(colon + 1)
              .trim()
              .toLowerCase();
            if (name === 'transfer-encoding' && value.includes('chunked')) chunked = true;
            if (name === 'content-length') remaining = Number(value);
          }
          if (chunked) remaining = 0;
          on.status(status);
          if (!chunked && remaining === 0) finished = true;
          else readBody(all, end + 4, all.length);
        } else {
          readBody(buf, 0, bytes);
        }
        if (finished) done();
      } catch (error) {
        fail(error);
      }
    };
    socket.on('end', () => {
      // Without a length or chunking, the body ends with the connection.
      if (header === null && !chunked && remaining < 0) done();
      else fail(new Error('connection closed before the response ended'));
    });
  });
}

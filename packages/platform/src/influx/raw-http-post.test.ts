import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawHttpPost } from './raw-http-post.js';

describe('rawHttpPost', () => {
  let server: Server;
  let port = 0;
  const big = Buffer.alloc(300_000, 'x');

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        if (req.url === '/chunked') {
          // Many small chunks, as InfluxDB flushes them: the framing must be stripped exactly.
          res.writeHead(200, { 'content-type': 'text/csv' });
          for (let i = 0; i < big.length; i += 3000) res.write(big.subarray(i, i + 3000));
          res.end(`|${body}|${req.headers.authorization}`);
        } else if (req.url === '/length') {
          res.writeHead(200, { 'content-length': String(body.length) });
          res.end(body);
        } else {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end('{"message":"no"}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const post = async (path: string, body: string) => {
    const pieces: Buffer[] = [];
    let status = 0;
    await rawHttpPost(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { authorization: 'Token t' },
        body,
        timeoutMs: 5000,
      },
      { status: (s) => (status = s), body: (p) => pieces.push(Buffer.from(p)) },
    );
    return { status, body: Buffer.concat(pieces).toString(), pieces: pieces.length };
  };

  it('decodes a chunked body exactly, in far fewer pieces than the sender wrote chunks', async () => {
    const got = await post('/chunked', 'ä-body');
    expect(got.status).toBe(200);
    expect(got.body).toBe(`${big.toString()}|ä-body|Token t`);
    expect(got.pieces).toBeLessThan(big.length / 3000);
  });

  it('reads a body of a given length, and the status of a refusal', async () => {
    expect(await post('/length', 'hello')).toMatchObject({ status: 200, body: 'hello' });
    expect(await post('/other', '')).toMatchObject({ status: 400, body: '{"message":"no"}' });
  });

  it('reads a body that ends with the connection, and framing split across reads', async () => {
    // A server writing by hand, a few bytes at a time: the status line, a chunk-size line
    // and a chunk's data each arrive in several reads (the read buffer is reused by each).
    const pieces = (body: string): string[] => body.match(/[\s\S]{1,3}/g) ?? [];
    const replies = [
      ['HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\n\r\n', 'a,b\r\n1,2\r\n', 'end'],
      pieces(
        'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n00009\r\n, chunked\r\n0\r\n\r\n',
      ),
    ];
    const tcp = createTcpServer((socket) => {
      const reply = replies.shift() ?? [];
      socket.once('data', async () => {
        for (const part of reply) {
          socket.write(part);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        socket.end();
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const tcpPort = (tcp.address() as AddressInfo).port;
    const get = async () => {
      const parts: Buffer[] = [];
      await rawHttpPost(
        { host: '127.0.0.1', port: tcpPort, path: '/', headers: {}, body: 'x', timeoutMs: 5000 },
        { status: () => undefined, body: (p) => parts.push(Buffer.from(p)) },
      );
      return Buffer.concat(parts).toString();
    };
    try {
      expect(await get()).toBe('a,b\r\n1,2\r\nend');
      expect(await get()).toBe('hello, chunked');
    } finally {
      await new Promise((resolve) => tcp.close(resolve));
    }
  });

  it('rejects when nothing listens', async () => {
    await expect(
      rawHttpPost(
        { host: '127.0.0.1', port: 9, path: '/', headers: {}, body: '', timeoutMs: 1000 },
        { status: () => undefined, body: () => undefined },
      ),
    ).rejects.toThrow();
  });
});

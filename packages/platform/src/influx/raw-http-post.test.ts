import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('rejects when nothing listens', async () => {
    await expect(
      rawHttpPost(
        { host: '127.0.0.1', port: 9, path: '/', headers: {}, body: '', timeoutMs: 1000 },
        { status: () => undefined, body: () => undefined },
      ),
    ).rejects.toThrow();
  });
});

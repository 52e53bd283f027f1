import { EngineUnavailableError } from '@lukema/core';
import { InfluxClientAdapter, WriteRejectedError } from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';

describe('the InfluxDB write path', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack('influx-writer');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('stores a gzipped chunk, refuses a bad line for good, and reports an unreachable server as retriable', async () => {
    const bucket = stack.config.influx.buckets.readings;
    const t = Date.now() - 60_000;
    const body = Buffer.from(`probe,s=a v=1 ${t}\nprobe,s=a v=2 ${t + 1}\nprobe,s=b v=3 ${t}\n`);
    expect(await stack.influx.writeChunk(bucket, { body, count: 3 })).toEqual({
      written: 3,
      droppedOutsideRetention: 0,
    });
    const rows = await stack.influx.rows<{ _value: number }>(
      `${stack.from()} |> filter(fn: (r) => r._measurement == "probe") |> group() |> sort(columns: ["_value"])`,
    );
    expect(rows.map((r) => r._value)).toEqual([1, 2, 3]);

    const bad = stack.influx.writeLines(bucket, [`probe,s=a v=oops= ${t}`]);
    await expect(bad).rejects.toBeInstanceOf(WriteRejectedError);
    await expect(bad).rejects.toMatchObject({ status: 400, retriable: false });

    const nowhere = new InfluxClientAdapter({
      url: 'http://127.0.0.1:9', // discard port: nothing listens
      org: stack.config.influx.org,
      token: 'unused',
    });
    const down = nowhere.writeLines(bucket, ['probe v=1 1']);
    await expect(down).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(down).rejects.toMatchObject({ retriable: true });
  });

  it('stores a chunk sent uncompressed (LUKEMA_INFLUX_WRITE_GZIP_LEVEL=0) or at another level', async () => {
    const bucket = stack.config.influx.buckets.readings;
    const t = Date.now() - 60_000;
    for (const level of [0, 6]) {
      const writer = new InfluxClientAdapter({
        url: stack.config.influx.url,
        org: stack.config.influx.org,
        token: stack.config.influx.token ?? '',
        writeGzipLevel: level,
      });
      const body = Buffer.from(`gz${level},s=a v=1 ${t}\ngz${level},s=b v=2 ${t}\n`);
      expect(await writer.writeChunk(bucket, { body, count: 2 })).toEqual({
        written: 2,
        droppedOutsideRetention: 0,
      });
      const rows = await stack.influx.rows<{ _value: number }>(
        `${stack.from()} |> filter(fn: (r) => r._measurement == "gz${level}") |> group() |> sort(columns: ["_value"])`,
      );
      expect(rows.map((r) => r._value)).toEqual([1, 2]);
      const bad = writer.writeLines(bucket, [`gz${level},s=a v=oops= ${t}`]);
      await expect(bad).rejects.toMatchObject({ status: 400, retriable: false });
    }
  });
});

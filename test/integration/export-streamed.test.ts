import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAccessExport, EXPORT_FILES } from '@lukema/api';
import {
  type DataStatus,
  datahubCsvRunsBytes,
  gsrnFromBody,
  PointLines,
  parsePrivacyPolicy,
  type Quality,
  type ReadingRun,
  type RunSink,
} from '@lukema/core';
import type { ReadingsReader, StoredContract } from '@lukema/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/test-stack.js';

/**
 * The access export builds its CSV and JSON while the series is read (each slice of the
 * period as its rows arrive), and the files are the bytes the builders write from the
 * whole runs after the read.
 */
const Q = 900_000;
const START = Date.UTC(2025, 0, 1);
const DAYS = 400; // longer than a year: read as two slices concurrently
/**
 * The contract ends with the data: an open contract's read is split at the middle of
 * [start, now), which moves with the calendar (past the data's end from March 2027).
 */
const END = START + DAYS * 86_400_000;

type Series = ReadingsReader['seriesReadingRuns'];

describe('the export built while reading', () => {
  let stack: TestStack;
  let bucket: string;
  let directory: string;
  const mp = gsrnFromBody('64300990000000077');
  const policy = parsePrivacyPolicy(
    readFileSync(new URL('../../services/api/policy/privacy-policy.json', import.meta.url), 'utf8'),
  );

  /** A year and more of readings of every kind (missing, estimated, final, off the grid). */
  const write = async (pseudonym: string, directions: Array<'consumption' | 'production'>) => {
    const lines = new PointLines();
    const period = { contractId: 'K-S', startMs: START, endMs: null, pseudonym, area: '001xx' };
    let batch: string[] = [];
    for (const direction of directions) {
      for (let i = 0; i < DAYS * 96; i++) {
        const kind = i % 997;
        const quality: Quality = kind === 3 ? 'missing' : kind === 5 ? 'estimated' : 'measured';
        const dataStatus: DataStatus = i < 200 * 96 ? 'final' : 'preliminary';
        batch.push(
          lines.reading(period, direction, 'PT15M', {
            startMs: START + i * Q + (kind === 7 ? 500 : 0),
            quantityWh: quality === 'missing' ? null : (i * 37) % 900,
            quality,
            flags: quality === 'estimated' ? ['estimated'] : [],
            dataStatus,
          }),
        );
        if (batch.length === 5000) {
          await stack.influx.writeLines(bucket, batch);
          batch = [];
        }
      }
    }
    await stack.influx.writeLines(bucket, batch);
  };

  const contract = (pseudonym: string, customerId: string): StoredContract => ({
    contractId: `K-${customerId}`,
    customerId,
    siteId: 'S-1',
    postalCode: '00100',
    meteringPointIds: [mp],
    startDate: '2025-01-01',
    endDate: '2026-02-04',
    status: 'active',
    updatedAt: '2026-01-01T00:00:00Z',
    startMs: START,
    endMs: END,
    pseudonyms: { [mp]: pseudonym },
    area: '001xx',
  });

  /** Exports with `seriesReadingRuns` as given; the three files' digests. */
  const exportWith = async (c: StoredContract, seriesReadingRuns: Series, requestId: string) => {
    const result = await buildAccessExport(
      {
        registry: { contractsOfCustomer: async () => [c] },
        readings: {
          seriesReadings: stack.influx.seriesReadings.bind(stack.influx),
          seriesReadingRuns,
        },
        bucket,
        policy,
        auditRecords: async () => [],
        directory,
      },
      { requestId, customerId: c.customerId },
    );
    expect(result.found).toBe(true);
    const digests = await Promise.all(
      EXPORT_FILES.map(async (f) =>
        createHash('sha256')
          .update(await readFile(join(directory, requestId, f)))
          .digest('hex'),
      ),
    );
    // The request id and time are in the JSON and report: only the readings may differ.
    return { readings: result.readings, csv: digests[0] };
  };

  /** The adapter's read, each slice's sink watched: how often it got rows, and if whole. */
  const watched =
    (log: Array<{ adds: number; whole: boolean | null }>): Series =>
    (b, series, slices) =>
      stack.influx.seriesReadingRuns(
        b,
        series,
        slices &&
          ((k, of) => {
            const sink = slices(k, of);
            const entry = { adds: 0, whole: null as boolean | null };
            log[k] = entry;
            return {
              add: (run: ReadingRun, from: number, to: number) => {
                entry.adds++;
                sink.add(run, from, to);
              },
              end: (whole: boolean) => {
                entry.whole = whole;
                sink.end(whole);
              },
            } satisfies RunSink;
          }),
      );
  /** The read without sinks: the builders write the files from the runs after it. */
  const afterwards: Series = (b, series) => stack.influx.seriesReadingRuns(b, series);

  beforeAll(async () => {
    stack = await createTestStack('export-streamed');
    bucket = stack.config.influx.buckets.readings;
    directory = await mkdtemp(join(tmpdir(), 'lukema-export-streamed-'));
  });

  afterAll(async () => {
    await stack.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('writes, for one series, the bytes of the builders, built slice by slice as it is read', async () => {
    const pseudonym = randomBytes(16).toString('hex');
    await write(pseudonym, ['consumption']);
    const c = contract(pseudonym, 'C-ONE');
    const log: Array<{ adds: number; whole: boolean | null }> = [];
    const generatedAt = Date.now();
    const streamed = await exportWith(c, watched(log), 'streamed');
    const built = await exportWith(c, afterwards, 'afterwards');
    console.log(
      `one series, ${streamed.readings} readings: slices ${JSON.stringify(log)} (${Date.now() - generatedAt} ms for both exports)`,
    );
    expect(streamed.readings).toBe(DAYS * 96);
    expect(streamed.csv).toBe(built.csv);
    const files = async (id: string) =>
      Promise.all(EXPORT_FILES.map((f) => readFile(join(directory, id, f), 'utf8')));
    const [csvA, jsonA, htmlA] = await files('streamed');
    const [csvB, jsonB, htmlB] = await files('afterwards');
    expect(csvA).toBe(csvB);
    // The files are written in 1 MiB calls: the ~3.8 MiB CSV on disk is the bytes built in
    // memory from the series read again, whole and in order.
    const runs = await stack.influx.seriesReadingRuns(bucket, {
      pseudonym,
      meteringPointId: mp,
      startMs: START,
      endMs: END,
    });
    const inMemory = datahubCsvRunsBytes(runs);
    expect(inMemory.length).toBeGreaterThan(3 << 20);
    expect(await readFile(join(directory, 'streamed', EXPORT_FILES[0]))).toEqual(inMemory);
    const readingsOf = (json: string | undefined) => JSON.parse(json ?? '').meteringPoints;
    expect(readingsOf(jsonA)).toEqual(readingsOf(jsonB));
    // Apart from the request's id and time, the JSON and the report are the same bytes.
    const request = (text: string | undefined, id: string) =>
      text?.replaceAll(id, 'REQ').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'AT');
    expect(request(jsonA, 'streamed')).toBe(request(jsonB, 'afterwards'));
    expect(request(htmlA, 'streamed')).toBe(request(htmlB, 'afterwards'));
    // Two slices, each built whole while its response arrived: rows handed on as chunks
    // came (the later slice holds only the weeks up to the data's end), not once at the end.
    expect(log.map((s) => s.whole)).toEqual([true, true]);
    // (Fewer pieces than before: the socket reads up to 256 KiB at a time, not 64 KiB.)
    for (const s of log) expect(s.adds).toBeGreaterThan(1);
    // Once more: the buffers the first export gave back are reused, the bytes the same.
    const again = await exportWith(c, watched([]), 'again');
    expect(again.csv).toBe(built.csv);
    const [csvC, jsonC] = await files('again');
    expect(csvC).toBe(csvB);
    expect(request(jsonC, 'again')).toBe(request(jsonB, 'afterwards'));
  }, 240_000);

  it('falls back to the builders after the read for a point with two series', async () => {
    const pseudonym = randomBytes(16).toString('hex');
    await write(pseudonym, ['consumption', 'production']);
    const c = contract(pseudonym, 'C-TWO');
    const log: Array<{ adds: number; whole: boolean | null }> = [];
    const streamed = await exportWith(c, watched(log), 'two-streamed');
    const built = await exportWith(c, afterwards, 'two-afterwards');
    expect(streamed.readings).toBe(2 * DAYS * 96);
    expect(streamed.csv).toBe(built.csv);
    expect(log.map((s) => s.whole)).toEqual([false, false]);
  }, 240_000);
});

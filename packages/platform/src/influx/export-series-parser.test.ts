import {
  decodeReadingMarks,
  directionTag,
  type ExportReading,
  type ReadingRun,
  type RunSink,
  resolutionTag,
  runReadings,
} from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { ExportSeriesParser } from './export-series-parser.js';

const HEAD = [
  '#datatype,string,long,dateTime:RFC3339,double,string,string,string',
  '#group,false,false,false,false,true,true,true',
  '#default,_result,,,,,,',
  ',result,table,_time,_value,_field,d,r',
];

/** An annotated CSV response as InfluxDB sends it: tables separated by an empty line. */
function csv(tables: Array<{ field: string; series: string; rows: Array<[string, string]> }>) {
  const out: string[] = [];
  tables.forEach((t, n) => {
    const [direction, resolution] = t.series.split('|');
    out.push(...HEAD);
    for (const [time, value] of t.rows) {
      out.push(
        `,,${n},${time},${value},${t.field},${directionTag(direction ?? '')},${resolutionTag(resolution ?? '')}`,
      );
    }
    out.push('');
  });
  return `${out.join('\r\n')}\r\n`;
}

/**
 * Feeds the response in chunks of `size` bytes (lines split anywhere), each in the same
 * buffer, overwritten after the call, as the socket's reads arrive.
 */
function parse(text: string, size: number, mp = 'MP'): ExportReading[] {
  const parser = new ExportSeriesParser();
  const bytes = Buffer.from(text);
  const read = Buffer.alloc(size);
  for (let i = 0; i < bytes.length; i += size) {
    const n = bytes.copy(read, 0, i, i + size);
    parser.chunk(read.subarray(0, n));
    read.fill('9,');
  }
  parser.end();
  const readings = parser.readings(mp);
  // The columnar form the export's builders read holds the same readings in the same order.
  expect(parser.runs(mp).flatMap(runReadings)).toEqual(readings);
  return readings;
}

const final = decodeReadingMarks(4);

describe('ExportSeriesParser', () => {
  const text = csv([
    {
      field: 'kwh',
      series: 'consumption|PT15M',
      rows: [
        ['2026-03-29T00:45:00Z', '0.05'],
        ['2026-03-29T01:00:00Z', '1234.567'],
        ['2026-03-29T01:15:00.5Z', '-0.001'],
        ['2026-03-30T00:00:00Z', '1.5e-3'],
        ['2026-03-30T00:15:00Z', '0.1234564'],
      ],
    },
    {
      field: 'q',
      series: 'consumption|PT15M',
      rows: [
        ['2026-03-29T01:00:00Z', '4'],
        ['2026-03-30T00:30:00Z', '3'],
      ],
    },
  ]);

  it('merges kwh and marks by time, from bytes split at any point', () => {
    for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
      const rows = parse(text, size);
      expect(
        rows.map((r) => [new Date(r.startMs).toISOString(), r.quantityWh, r.quality, r.dataStatus]),
      ).toEqual([
        ['2026-03-29T00:45:00.000Z', 50, 'measured', 'preliminary'],
        ['2026-03-29T01:00:00.000Z', 1_234_567, final.quality, 'final'],
        ['2026-03-29T01:15:00.500Z', -1, 'measured', 'preliminary'],
        ['2026-03-30T00:00:00.000Z', 2, 'measured', 'preliminary'],
        ['2026-03-30T00:15:00.000Z', 123, 'measured', 'preliminary'],
        ['2026-03-30T00:30:00.000Z', null, 'missing', 'preliminary'],
      ]);
      expect(rows.every((r) => r.meteringPointId === 'MP' && r.direction === 'consumption')).toBe(
        true,
      );
    }
  });

  it('reads numbers exactly as Number and times as Date.parse do', () => {
    const values = ['0.001', '0.1', '0.3', '123456.789', '9.999999999999999', '0.0005', '-2.5'];
    const rows = parse(
      csv([
        {
          field: 'kwh',
          series: 'production|PT1H',
          rows: values.map((v, i) => [`2020-02-29T${String(i).padStart(2, '0')}:00:00Z`, v]),
        },
      ]),
      5,
    );
    expect(rows.map((r) => r.quantityWh)).toEqual(values.map((v) => Math.round(Number(v) * 1000)));
    expect(rows.map((r) => r.startMs)).toEqual(
      values.map((_, i) => Date.parse(`2020-02-29T${String(i).padStart(2, '0')}:00:00Z`)),
    );
  });

  it('reads times across days, month ends and odd forms as Date.parse does', () => {
    // Rows of one day take the fast path (the date compared with the last row's); the first
    // row of a day, fractions of a second and 24:00 take the general one.
    const times = [
      '2026-02-28T23:30:00Z',
      '2026-02-28T23:45:00Z',
      '2026-03-01T00:00:00Z',
      '2026-03-01T00:15:00.25Z',
      '2026-03-01T00:30:00Z',
      '2026-03-01T09:59:59Z',
      '2026-03-01T24:00:00Z',
      '2026-03-02T00:15:00Z',
      '2026-03-12T00:15:00Z',
      '2027-03-12T00:15:00Z',
      '2027-03-12T23:59:59Z',
    ];
    for (const size of [1, 13, 54, 1 << 16]) {
      const rows = parse(
        csv([
          {
            field: 'kwh',
            series: 'consumption|PT15M',
            rows: times.map((t, i) => [t, String(i)]),
          },
          { field: 'q', series: 'consumption|PT15M', rows: times.map((t) => [t, '4']) },
        ]),
        size,
      );
      expect(rows.map((r) => r.startMs)).toEqual(times.map((t) => Date.parse(t)));
      expect(rows.map((r) => r.quantityWh)).toEqual(times.map((_, i) => i * 1000));
      expect(rows.every((r) => r.dataStatus === 'final')).toBe(true);
    }
  });

  it('keeps the last of twice-read times and lists interleaved series in time order', () => {
    const rows = parse(
      csv([
        {
          field: 'kwh',
          series: 'consumption|PT1H',
          rows: [
            ['2026-01-01T01:00:00Z', '1'],
            ['2026-01-01T02:00:00Z', '2'],
          ],
        },
        { field: 'kwh', series: 'production|PT1H', rows: [['2026-01-01T00:00:00Z', '5']] },
        {
          field: 'kwh',
          series: 'consumption|PT1H',
          rows: [
            ['2026-01-01T00:00:00Z', '7'],
            ['2026-01-01T01:00:00Z', '8'],
          ],
        },
      ]),
      11,
    );
    expect(rows.map((r) => [r.direction, r.startMs % 86_400_000, r.quantityWh])).toEqual([
      ['consumption', 0, 7000],
      ['production', 0, 5000],
      ['consumption', 3_600_000, 8000],
      ['consumption', 7_200_000, 2000],
    ]);
  });

  it('joins the slices of one series read separately', () => {
    const first = new ExportSeriesParser();
    first.chunk(
      Buffer.from(
        csv([{ field: 'kwh', series: 'consumption|PT1H', rows: [['2026-01-01T00:00:00Z', '1']] }]),
      ),
    );
    first.end();
    const later = new ExportSeriesParser();
    later.chunk(
      Buffer.from(
        csv([
          { field: 'kwh', series: 'consumption|PT1H', rows: [['2026-01-02T00:00:00Z', '2']] },
          { field: 'q', series: 'consumption|PT1H', rows: [['2026-01-02T00:00:00Z', '4']] },
        ]),
      ),
    );
    later.end();
    first.append(later);
    expect(first.readings('MP').map((r) => [r.quantityWh, r.dataStatus])).toEqual([
      [1000, 'preliminary'],
      [2000, 'final'],
    ]);
    expect(first.runs('MP').flatMap(runReadings)).toEqual(first.readings('MP'));
  });

  it('gives one series as one run of typed arrays, a missing kwh as NaN', () => {
    const parser = new ExportSeriesParser();
    parser.chunk(
      Buffer.from(
        csv([
          { field: 'kwh', series: 'production|PT15M', rows: [['2026-01-01T00:00:00Z', '0.5']] },
          { field: 'q', series: 'production|PT15M', rows: [['2026-01-01T00:15:00Z', '7']] },
        ]),
      ),
    );
    parser.end();
    const [run, ...more] = parser.runs('MP');
    expect(more).toEqual([]);
    expect(run?.direction).toBe('production');
    expect(run?.resolution).toBe('PT15M');
    expect([...(run?.startMs ?? [])]).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 15)]);
    expect([...(run?.wh ?? [])]).toEqual([500, Number.NaN]);
    expect(run?.marks[run.mark[1] as number]?.quality).toBe(decodeReadingMarks(7).quality);
  });

  it('streams the merged readings of one series as they arrive, as runs gives them', () => {
    const text = csv([
      {
        field: 'kwh',
        series: 'consumption|PT15M',
        rows: Array.from({ length: 300 }, (_, i) => [
          new Date(Date.UTC(2026, 2, 28) + i * 900_000).toISOString().replace('.000', ''),
          String(i / 1000),
        ]),
      },
      {
        field: 'q',
        series: 'consumption|PT15M',
        rows: Array.from({ length: 60 }, (_, i) => [
          new Date(Date.UTC(2026, 2, 28) + i * 5 * 900_000 + 450_000)
            .toISOString()
            .replace('.000', ''),
          String(i % 3 === 0 ? 4 : 3),
        ]),
      },
    ]);
    for (const size of [5, 333, 1 << 16]) {
      const parser = new ExportSeriesParser();
      const got: ExportReading[] = [];
      let adds = 0;
      let whole: boolean | null = null;
      const sink: RunSink = {
        add: (run: ReadingRun, from: number, to: number) => {
          adds++;
          got.push(...runReadings(run).slice(from, to));
        },
        end: (w) => {
          whole = w;
        },
      };
      parser.streamTo(sink, 'MP');
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += size) parser.chunk(bytes.subarray(i, i + size));
      expect(whole).toBeNull();
      parser.end();
      expect(whole).toBe(true);
      expect(got).toEqual(parser.runs('MP').flatMap(runReadings));
      expect(got).toHaveLength(360);
      expect(parser.streamedRuns()?.flatMap(runReadings)).toEqual(got);
      if (size === 5) expect(adds).toBeGreaterThan(10);
    }
  });

  it('reads as well with the column arrays a released parser gave back', () => {
    const rows = (n: number, value: (i: number) => string) =>
      Array.from({ length: n }, (_, i): [string, string] => [
        new Date(Date.UTC(2024, 0, 1) + i * 900_000).toISOString().replace('.000', ''),
        value(i),
      ]);
    const big = csv([{ field: 'kwh', series: 'consumption|PT15M', rows: rows(70_000, () => '9') }]);
    const first = new ExportSeriesParser();
    first.chunk(Buffer.from(big));
    first.end();
    expect(first.runs('MP')[0]?.length).toBe(70_000);
    first.release();
    // The next parser's columns are the big arrays given back, holding the old values.
    const small = rows(300, (i) => String(i / 1000));
    const readings = parse(
      csv([{ field: 'kwh', series: 'consumption|PT15M', rows: small }]),
      1 << 16,
    );
    expect(readings.map((r) => r.quantityWh)).toEqual(small.map((_, i) => i));
    expect(readings.map((r) => r.startMs)).toEqual(small.map(([t]) => Date.parse(t)));
  });

  it('stops streaming, and says so, when a response holds more than one series', () => {
    const parser = new ExportSeriesParser();
    let whole: boolean | null = null;
    parser.streamTo({ add: () => undefined, end: (w) => (whole = w) }, 'MP');
    parser.chunk(
      Buffer.from(
        csv([
          { field: 'kwh', series: 'consumption|PT1H', rows: [['2026-01-01T00:00:00Z', '1']] },
          { field: 'kwh', series: 'production|PT1H', rows: [['2026-01-01T00:00:00Z', '2']] },
          { field: 'q', series: 'consumption|PT1H', rows: [['2026-01-01T00:00:00Z', '4']] },
        ]),
      ),
    );
    parser.end();
    expect(whole).toBe(false);
    expect(parser.streamedRuns()).toBeUndefined();
  });

  it('fails on an error InfluxDB reports inside the response', () => {
    const parser = new ExportSeriesParser();
    const body =
      '#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n,boom,\r\n';
    expect(() => parser.chunk(Buffer.from(body))).toThrow(/influxdb/i);
  });

  it('reads an empty response as no readings', () => {
    expect(parse('\r\n', 3)).toEqual([]);
  });
});

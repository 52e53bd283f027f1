import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer.js';
import { formatWhAsKwh } from './format.js';
import type { ReadingRun, RunMark } from './reading-runs.js';
import { writeRows } from './row-bytes.js';

const MARKS: RunMark[] = [
  { quality: 'measured', dataStatus: 'final' },
  { quality: 'estimated', dataStatus: null },
  { quality: 'missing', dataStatus: 'preliminary' },
];

/** A run of `n` readings with awkward values: signs, sizes, odd seconds, missing ones. */
function awkwardRun(n: number, meteringPointId = '643007574000138589'): ReadingRun {
  const startMs = new Float64Array(n);
  const wh = new Float64Array(n);
  const mark = new Uint32Array(n);
  let t = Date.UTC(1969, 11, 31, 22, 0, 0) - 1;
  const values = [0, 1, -1, 999, 1000, -999_999, 12_345.6, 1e15, -0.4, 99_999, Number.NaN];
  for (let i = 0; i < n; i++) {
    t += i % 97 === 0 ? 86_400_000 + 1_234 : 900_000 + (i % 13 === 0 ? 17_000 : 0);
    startMs[i] = t;
    wh[i] = values[i % values.length] as number;
    mark[i] = i % MARKS.length;
  }
  return {
    meteringPointId,
    direction: 'production',
    resolution: 'PT15M',
    length: n,
    startMs,
    wh,
    mark,
    marks: MARKS,
  };
}

/** The rows as strings, the plain way: what the byte writer must give. */
function expected(run: ReadingRun, from: number, to: number, first: boolean) {
  const id = run.meteringPointId.includes(';')
    ? `"${run.meteringPointId.replaceAll('"', '""')}"`
    : run.meteringPointId;
  let csv = '';
  let json = '';
  for (let i = from; i < to; i++) {
    const ms = run.startMs[i] as number;
    const t = new Date(ms);
    const two = (n: number) => String(n).padStart(2, '0');
    const day = new Date(Math.floor(ms / 86_400_000) * 86_400_000).toISOString().slice(0, 11);
    const at = `${day}${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}Z`;
    const wh = run.wh[i] as number;
    const m = run.marks[run.mark[i] as number] as RunMark;
    csv += `${id};8716867000030;${run.resolution};kWh;${run.direction};${at};${Number.isNaN(wh) ? '' : formatWhAsKwh(wh, ',')};${m.quality};${m.dataStatus ?? ''}\r\n`;
    json += `${i > from || !first ? ',' : ''}["${at}",${Number.isNaN(wh) ? 'null' : formatWhAsKwh(wh, '.')},"${m.quality}",${m.dataStatus ? `"${m.dataStatus}"` : 'null'}]`;
  }
  return { csv, json };
}

describe('writeRows', () => {
  it('writes the CSV and JSON rows of a reading from the same digits, as the plain formatting does', () => {
    const run = awkwardRun(3000);
    for (const [from, to, first] of [
      [0, 3000, true],
      [5, 1500, false],
      [2999, 3000, false],
      [7, 7, true],
    ] as Array<[number, number, boolean]>) {
      const csv = new ByteWriter(16);
      const json = new ByteWriter(16);
      writeRows(csv, json, run, from, to, first);
      const want = expected(run, from, to, first);
      expect(csv.toString()).toBe(want.csv);
      expect(json.toString()).toBe(want.json);
      // Either file alone: the same bytes.
      const alone = new ByteWriter(16);
      writeRows(alone, null, run, from, to, first);
      expect(alone.toString()).toBe(want.csv);
      const jsonAlone = new ByteWriter(16);
      writeRows(null, jsonAlone, run, from, to, first);
      expect(jsonAlone.toString()).toBe(want.json);
    }
  });

  it('spells every date as toISOString does, leap days and years outside 0..9999 too', () => {
    const days: number[] = [];
    for (let d = -135_000; d < 195_000; d += 1) days.push(d);
    days.push(-719_529, -719_528, -719_162, 2_932_896, 2_932_897, 3_000_000);
    const run = {
      ...awkwardRun(days.length),
      startMs: Float64Array.from(days, (d) => d * 86_400_000 + 3_723_000),
    };
    const csv = new ByteWriter(16);
    const json = new ByteWriter(16);
    writeRows(csv, json, run, 0, run.length, true);
    const want = expected(run, 0, run.length, true);
    expect(csv.toString() === want.csv).toBe(true);
    expect(json.toString() === want.json).toBe(true);
  });

  it.each([
    [1234, '1,234', '1.234'],
    [-50, '-0,050', '-0.050'],
    [0, '0,000', '0.000'],
    [-0, '0,000', '0.000'],
    [7, '0,007', '0.007'],
    [1_000_000, '1000,000', '1000.000'],
    [-123_456_789, '-123456,789', '-123456.789'],
    [1234.6, '1,235', '1.235'],
  ] as const)('writes %d Wh as %s kWh in the CSV, %s in the JSON', (value, inCsv, inJson) => {
    const run = { ...awkwardRun(1), wh: Float64Array.of(value), mark: Uint32Array.of(1) };
    const csv = new ByteWriter(16);
    const json = new ByteWriter(16);
    writeRows(csv, json, run, 0, 1, true);
    expect(csv.toString().split(';')[6]).toBe(inCsv);
    expect(json.toString().split(',')[1]).toBe(inJson);
  });

  it('writes UTC to the second, dropping milliseconds, across days', () => {
    const times = ['2024-02-29T23:45:00Z', '2024-03-01T09:05:07.999Z', '1969-12-31T23:59:59.5Z'];
    const run = { ...awkwardRun(3), startMs: Float64Array.from(times, (t) => Date.parse(t)) };
    const json = new ByteWriter(16);
    writeRows(null, json, run, 0, 3, true);
    expect(json.toString().match(/\d{4}-[^"]+/g)).toEqual([
      '2024-02-29T23:45:00Z',
      '2024-03-01T09:05:07Z',
      '1969-12-31T23:59:59Z',
    ]);
  });

  it('quotes an id that would shift the CSV columns', () => {
    const run = awkwardRun(20, '64;"3"');
    const csv = new ByteWriter(16);
    writeRows(csv, null, run, 0, 20, true);
    expect(csv.toString()).toBe(expected(run, 0, 20, true).csv);
    expect(csv.toString().startsWith('"64;""3""";')).toBe(true);
  });

  it('refuses a non-finite instant or an infinite quantity', () => {
    const run = awkwardRun(4);
    run.startMs[2] = Number.NaN;
    expect(() => writeRows(new ByteWriter(), new ByteWriter(), run, 0, 4, true)).toThrow(
      RangeError,
    );
    const infinite = awkwardRun(4);
    infinite.wh[1] = Number.POSITIVE_INFINITY;
    expect(() => writeRows(null, new ByteWriter(), infinite, 0, 4, true)).toThrow(RangeError);
  });
});

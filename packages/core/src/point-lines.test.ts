import { describe, expect, it } from 'vitest';
import type { ContractPeriod } from './contracts.js';
import { escapeTag, quoteStringField } from './line-protocol.js';
import { ENERGY_MEASUREMENT, LineBuffer, PointLines } from './point-lines.js';

const period: ContractPeriod = {
  contractId: 'K',
  startMs: 0,
  endMs: null,
  pseudonym: 'ab12',
  area: '001xx',
};

describe('line protocol escaping', () => {
  it('escapes tag specials and string-field specials', () => {
    expect(escapeTag('x,y=z w\\')).toBe('x\\,y\\=z\\ w\\\\');
    expect(quoteStringField('say "hi" \\')).toBe('"say \\"hi\\" \\\\"');
  });
});

describe('PointLines', () => {
  const lines = new PointLines();

  it('writes a reading with sorted tags, kWh from Wh, quality, flags and revision', () => {
    const line = lines.reading(period, 'consumption', 'PT15M', {
      startMs: 1_700_000_000_000,
      quantityWh: 1250,
      quality: 'suspect',
      flags: ['negative', 'spike'],
      dataStatus: 'final',
    });
    // suspect (2) | final (1 << 2) | negative (1 << 12) | spike (1 << 17)
    expect(line).toBe(`energy,d=c,p=ab12,r=15 kwh=1.25,q=${2 + 4 + 4096 + 131072}i 1700000000000`);
  });

  it('writes kWh alone for a measured, unflagged, preliminary reading', () => {
    const fields = (dataStatus?: 'preliminary' | 'final') =>
      lines.readingFields({
        startMs: 5,
        quantityWh: 1,
        quality: 'measured',
        flags: [],
        dataStatus,
      });
    expect(fields('preliminary')).toBe('kwh=0.001 5');
    expect(fields('final')).toBe('kwh=0.001,q=4i 5');
    expect(fields()).toBe('kwh=0.001,q=8i 5');
  });

  it('leaves kWh out of a missing reading and writes no area', () => {
    const odd = { ...period, area: 'a b,c' };
    const line = lines.reading(odd, 'production', 'PT1H', {
      startMs: 1,
      quantityWh: null,
      quality: 'missing',
      flags: [],
    });
    expect(line).toBe('energy,d=p,p=ab12,r=60 q=11i 1');
  });

  it('records the revision once per run of readings it wrote, 1 ms after the run', () => {
    const at = (i: number, revision: number) => ({ startMs: i * 900_000, revision });
    const series = 'energy,d=c,p=ab12,r=15';
    expect(
      lines.revisionRecords(period, 'consumption', 'PT15M', [
        at(0, 7),
        at(1, 7),
        at(3, 7),
        at(4, 9),
      ]),
    ).toEqual([`${series} w=${7 * 1024 + 3}i 2700001`, `${series} w=${9 * 1024}i 3600001`]);
  });

  it('splits a run longer than a record spans', () => {
    const records = lines.revisionFields('PT15M', 0, 2000 * 900_000, 5);
    expect(records).toEqual([
      `w=${5 * 1024 + 1023}i ${2000 * 900_000 + 1}`,
      `w=${5 * 1024 + 977}i ${977 * 900_000 + 1}`,
    ]);
  });

  it('reports a gap as a count of intervals', () => {
    expect(lines.gap(period, 'consumption', 'PT15M', { startMs: 900_000, intervals: 3 })).toBe(
      'data_gaps,d=c,p=ab12,r=15 intervals=3i 900000',
    );
  });
});

describe('LineBuffer', () => {
  const lines = new PointLines();
  const reading = (startMs: number, quantityWh: number | null) =>
    ({ startMs, quantityWh, quality: 'measured', flags: [] }) as const;

  it('holds the same lines as the string builder, newline-terminated, and starts over', () => {
    const buffer = new LineBuffer(64); // small, so it has to grow
    const prefix = lines.prefix(
      ENERGY_MEASUREMENT,
      { ...period, area: 'Ä b' },
      'consumption',
      'PT15M',
    );
    const expected: string[] = [];
    for (let i = 0; i < 50; i++) {
      buffer.add(prefix, lines.readingFields(reading(i * 900_000, i === 7 ? null : 1000 + i)));
      expected.push(
        `${prefix} ${lines.readingFields(reading(i * 900_000, i === 7 ? null : 1000 + i))}`,
      );
    }
    const chunk = buffer.take();
    expect(chunk.count).toBe(50);
    expect(chunk.body.toString('utf8')).toBe(`${expected.join('\n')}\n`);
    expect(buffer.count).toBe(0);
    buffer.add(prefix, lines.gapFields({ startMs: 0, intervals: 2 }));
    const next = buffer.take();
    expect(next.body.toString('utf8')).toBe(`${prefix} intervals=2i 0\n`);
    expect(chunk.body.toString('utf8')).toBe(`${expected.join('\n')}\n`); // kept its bytes
  });

  it('marks where each source ends, per chunk', () => {
    const buffer = new LineBuffer();
    buffer.add('m', 'a=1 1');
    buffer.add('m', 'a=2 2');
    buffer.mark();
    buffer.mark(); // a source without lines
    buffer.add('m', 'a=3 3');
    buffer.mark();
    const chunk = buffer.take();
    expect(chunk.marks).toEqual([16, 16, 24]);
    buffer.add('m', 'a=4 4');
    expect(buffer.take().marks).toBeUndefined();
  });

  it('keeps every line exact when prefixes alternate, rests leave ASCII and the buffer grows', () => {
    const buffer = new LineBuffer(32);
    const prefixes = ['energy,area=Ä\\ b,pseudonym=p1', 'energy,pseudonym=p2', 'e'];
    const rests = ['kwh=0.1 900000', 'kwh=0.2,flags="ö ü" 1800000', 'q=3i 2700000', ''];
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) {
      const prefix = prefixes[Math.floor(i / 3) % 3] as string;
      const rest = rests[i % 4] as string;
      buffer.add(prefix, rest);
      expected.push(`${prefix} ${rest}\n`);
      if (i === 120) expect(buffer.take().body.toString('utf8')).toBe(expected.splice(0).join(''));
    }
    expect(buffer.take().body.toString('utf8')).toBe(expected.join(''));
  });

  it('writes a reading as bytes exactly as prefix and readingFields would', () => {
    const buffer = new LineBuffer(16);
    const prefix = lines.prefix(ENERGY_MEASUREMENT, period, 'consumption', 'PT15M');
    const expected: string[] = [];
    const quantities = [0, 1, 5, 10, 99, 100, 999, 1000, 1001, 1050, 1500, 123_456, -5, -1500, 2.5];
    const more = [999_999_999_999_999, 1e15, 4_503_599_627_370_497, -0, Number.NaN];
    let seed = 3;
    for (let k = 0; k < 2000; k++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      quantities.push(Math.floor((seed / 2 ** 31) * 10 ** (k % 13)));
    }
    [...quantities, ...more].forEach((quantityWh, k) => {
      const interval = {
        startMs: k % 17 === 0 ? -k * 900_000 : Date.UTC(2026, 0, 1) + k * 900_000,
        quantityWh,
        quality: 'measured',
        flags: k % 11 === 0 ? ['clock_adjusted'] : [],
        dataStatus: k % 7 === 0 ? 'final' : 'preliminary',
      } as const;
      lines.addReading(buffer, prefix, interval);
      expected.push(`${prefix} ${lines.readingFields(interval)}\n`);
    });
    expect(buffer.take().body.toString('utf8')).toBe(expected.join(''));
  });
});

describe('PointLines.addMeasured', () => {
  it('writes the bytes addReading writes for a measured, unflagged, preliminary reading', () => {
    const lines = new PointLines();
    const prefix = 'energy,d=c,p=abc,r=15';
    for (const wh of [0, 1, 999, 1000, 1234567, 2 ** 40, 1e15, 1e15 + 1, 2 ** 53 - 1]) {
      const viaMeasured = new LineBuffer();
      const viaReading = new LineBuffer();
      const startMs = Date.UTC(2026, 0, 1) + wh;
      lines.addMeasured(viaMeasured, prefix, startMs, wh);
      lines.addReading(viaReading, prefix, {
        startMs,
        quantityWh: wh,
        quality: 'measured',
        flags: [],
        dataStatus: 'preliminary',
      });
      expect(viaMeasured.take().body.toString()).toBe(viaReading.take().body.toString());
    }
  });
});

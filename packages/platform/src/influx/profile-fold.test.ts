import { describe, expect, it } from 'vitest';
import { parseDecimal } from './profile-csv.js';
import { ProfileFold } from './profile-fold.js';
import { QueryRejectedError } from './query-rejected-error.js';

const annotations = (columns: string) =>
  [
    '#datatype,string,long,dateTime:RFC3339,double,string,string,string,string',
    '#group,false,false,false,false,true,true,true,true',
    '#default,_result,,,,,,,',
    `,result,table,${columns}`,
  ].join('\r\n');

/** Feeds `text` to a parser in pieces of `size` bytes (a chunk may end mid-line or mid-character). */
function feed(fold: ProfileFold, kind: 'cells' | 'hours', text: string, size = 7) {
  const rows = fold.rows(kind);
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) rows.chunk(bytes.subarray(i, i + size));
  rows.end();
}

describe('ProfileFold', () => {
  it('adds monthly cells up per cell, the cell read from the seconds of their time', () => {
    const fold = new ProfileFold();
    const head = annotations('_time,_value,_field,area,commodity,direction');
    // January (EET start) and April (EEST start), cell 14 (weekday-14) and 38 (weekend-14).
    const rows = [
      ',_result,0,2025-12-31T22:00:14Z,2.5,kwh,001xx,electricity,consumption',
      ',_result,0,2026-03-31T21:00:14Z,1.5,kwh,001xx,electricity,consumption',
      ',_result,0,2026-03-31T21:00:38Z,7,kwh,001xx,electricity,consumption',
      ',_result,1,2025-12-31T22:00:14Z,9,customersMax,001xx,electricity,consumption',
      ',_result,1,2026-03-31T21:00:14Z,7,customersMax,001xx,electricity,consumption',
      ',_result,2,2025-12-31T22:00:14Z,40,customers,001xx,electricity,consumption',
      ',_result,3,2025-12-31T22:00:14Z,3,top,001xx,electricity,consumption',
      ',_result,4,2025-12-31T22:00:14Z,5,windows,001xx,electricity,consumption',
      ',_result,4,2026-03-31T21:00:14Z,4,windows,001xx,electricity,consumption',
      ',_result,5,2025-12-31T22:00:14Z,1,kwh,"00,1ä",electricity,consumption',
    ];
    feed(fold, 'cells', `${head}\r\n${rows.join('\r\n')}\r\n\r\n`);
    const tags = { area: '001xx', commodity: 'electricity', direction: 'consumption' };
    expect(fold.figures()).toEqual([
      {
        ...tags,
        cell: 'weekday-14',
        kwh: 4,
        topSum: 3,
        customersSum: 40,
        customersMax: 9,
        windows: 9,
      },
      {
        ...tags,
        cell: 'weekend-14',
        kwh: 7,
        topSum: 0,
        customersSum: 0,
        customersMax: 0,
        windows: 0,
      },
      {
        ...tags,
        area: '00,1ä',
        cell: 'weekday-14',
        kwh: 1,
        topSum: 0,
        customersSum: 0,
        customersMax: 0,
        windows: 0,
      },
    ]);
  });

  it('adds hourly area points up per cell of their local hour, whatever other columns a table has', () => {
    const fold = new ProfileFold();
    // Saturday 28 November 2026 14:00 and 15:00 in Helsinki, and Monday 30 November 14:00;
    // the second table's columns come in another order (a new header after a blank line).
    const first = [
      annotations('_time,_value,_field,area,commodity,direction'),
      ',_result,0,2026-11-28T12:00:00Z,2,kwh,001xx,electricity,consumption',
      ',_result,0,2026-11-28T13:00:00Z,3,kwh,001xx,electricity,consumption',
      ',_result,0,2026-11-30T12:00:00Z,4,kwh,001xx,electricity,consumption',
      ',_result,1,2026-11-28T12:00:00Z,5,customers,001xx,electricity,consumption',
      ',_result,1,2026-11-30T12:00:00Z,6,customers,001xx,electricity,consumption',
    ];
    const second = [
      annotations('_field,_time,_value,area,commodity,direction'),
      ',_result,2,customers,2026-11-28T12:00:00Z,8,001xx,electricity,consumption',
      ',_result,3,top,2026-11-28T12:00:00Z,1.5,001xx,electricity,consumption',
    ];
    feed(fold, 'hours', `${first.join('\r\n')}\r\n\r\n${second.join('\r\n')}\r\n`, 5);
    const tags = { area: '001xx', commodity: 'electricity', direction: 'consumption' };
    expect(fold.figures()).toEqual([
      {
        ...tags,
        cell: 'weekday-14',
        kwh: 4,
        topSum: 0,
        customersSum: 6,
        customersMax: 6,
        windows: 1,
      },
      {
        ...tags,
        cell: 'weekend-14',
        kwh: 2,
        topSum: 1.5,
        customersSum: 13,
        customersMax: 8,
        windows: 1,
      },
      {
        ...tags,
        cell: 'weekend-15',
        kwh: 3,
        topSum: 0,
        customersSum: 0,
        customersMax: 0,
        windows: 1,
      },
    ]);
  });

  it("throws InfluxDB's error when the response carries one", () => {
    const fold = new ProfileFold();
    const text =
      '#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n,boom,\r\n';
    expect(() => feed(fold, 'cells', text)).toThrow(QueryRejectedError);
  });

  it('parses decimals from their digits as Number does', () => {
    const samples = [
      '0',
      '12',
      '-3.5',
      '0.1',
      '12.345678901',
      '123456789012345',
      '1e-7',
      '-0.000001',
      '1234567890.123456789',
      '7.000',
    ];
    for (let i = 0; i < 2000; i++)
      samples.push(String(Math.round(Math.random() * 1e9) / 10 ** (i % 10)));
    for (const x of samples) {
      const text = `,${x},`;
      expect(parseDecimal(text, 1, text.length - 1), x).toBe(Number(x));
    }
  });
});

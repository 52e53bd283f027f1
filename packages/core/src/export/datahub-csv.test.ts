import { describe, expect, it } from 'vitest';
import { DATAHUB_CSV_HEADER, datahubCsv } from './datahub-csv.js';
import { bigReadings, MP_A, MP_B, series } from './test-fixtures.js';
import type { ExportReading } from './types.js';

const HEADER =
  'MeteringPointGSRN;Product Type;Resolution;Unit Type;Reading Type;Start Time;Quantity;Quality;Status';

function lines(csv: string): string[] {
  expect(csv.endsWith('\r\n')).toBe(true);
  return csv.slice(0, -2).split('\r\n');
}

describe('datahubCsv', () => {
  it('starts with a UTF-8 BOM and the exact Datahub header, CRLF line ends', () => {
    const csv = datahubCsv([]);
    expect(DATAHUB_CSV_HEADER).toBe(HEADER);
    expect(csv).toBe(`\uFEFF${HEADER}\r\n`);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
  });

  it('writes kWh with three decimals and a decimal comma, empty when missing', () => {
    const readings: ExportReading[] = [
      ...series(MP_A, 'consumption', 'PT15M', '2024-03-31T00:45:00Z', 3, (i) =>
        i === 2 ? null : ([1234, -50][i] ?? 0),
      ),
      ...series(MP_B, 'production', 'PT1H', '2024-12-31T23:00:00Z', 1, () => 7),
    ];
    const rows = lines(datahubCsv(readings));
    expect(rows).toEqual([
      `\uFEFF${HEADER}`,
      `${MP_A};8716867000030;PT15M;kWh;consumption;2024-03-31T00:45:00Z;1,234;measured;`,
      `${MP_A};8716867000030;PT15M;kWh;consumption;2024-03-31T01:00:00Z;-0,050;measured;`,
      `${MP_A};8716867000030;PT15M;kWh;consumption;2024-03-31T01:15:00Z;;missing;`,
      `${MP_B};8716867000030;PT1H;kWh;production;2024-12-31T23:00:00Z;0,007;measured;`,
    ]);
  });

  it('writes the quality as given', () => {
    const [reading] = series(MP_A, 'consumption', 'PT1H', '2024-01-01T00:00:00Z', 1, () => 1500);
    const csv = datahubCsv([{ ...(reading as ExportReading), quality: 'suspect' }]);
    expect(lines(csv)[1]).toBe(
      `${MP_A};8716867000030;PT1H;kWh;consumption;2024-01-01T00:00:00Z;1,500;suspect;`,
    );
  });

  it('writes the Datahub status the head-end sent, empty when it sent none', () => {
    const [reading] = series(MP_A, 'consumption', 'PT1H', '2024-01-01T00:00:00Z', 1, () => 1500);
    const row = (dataStatus: ExportReading['dataStatus']) =>
      lines(datahubCsv([{ ...(reading as ExportReading), dataStatus }]))[1];
    expect(row('final')).toBe(
      `${MP_A};8716867000030;PT1H;kWh;consumption;2024-01-01T00:00:00Z;1,500;measured;final`,
    );
    expect(row('preliminary')?.endsWith(';measured;preliminary')).toBe(true);
    expect(row(null)?.endsWith(';measured;')).toBe(true);
  });

  it('quotes a metering point id that would break the columns', () => {
    const [reading] = series('64;3"x', 'consumption', 'PT1H', '2024-01-01T00:00:00Z', 1, () => 1);
    expect(lines(datahubCsv([reading as ExportReading]))[1]?.startsWith('"64;3""x";')).toBe(true);
  });

  it('refuses a non-finite quantity', () => {
    const [reading] = series(
      MP_A,
      'consumption',
      'PT1H',
      '2024-01-01T00:00:00Z',
      1,
      () => Number.NaN,
    );
    expect(() => datahubCsv([reading as ExportReading])).toThrow(RangeError);
  });

  it('formats 210,000 mixed PT15M and PT1H readings', () => {
    const rows = lines(datahubCsv(bigReadings()));
    expect(rows).toHaveLength(210_001);
    expect(rows[1]).toBe(
      `${MP_A};8716867000030;PT15M;kWh;consumption;2024-01-01T00:00:00Z;-0,010;measured;`,
    );
    // i = 999: every 1000th reading is missing.
    expect(rows[1000]).toBe(
      `${MP_A};8716867000030;PT15M;kWh;consumption;2024-01-11T09:45:00Z;;missing;`,
    );
    // i = 99,999, the last of the first series: 99,999 quarter hours after the start.
    expect(rows[100_000]).toBe(
      `${MP_A};8716867000030;PT15M;kWh;consumption;2026-11-07T15:45:00Z;;missing;`,
    );
    expect(rows[100_001]).toBe(
      `${MP_A};8716867000030;PT15M;kWh;production;2024-01-01T00:00:00Z;-0,010;measured;`,
    );
    // i = 49,998 of the PT1H series: (49,998 * 37) % 2000 - 10 = 1916 Wh.
    expect(rows[209_999]).toBe(
      `${MP_B};8716867000030;PT1H;kWh;consumption;2025-09-14T06:00:00Z;1,916;measured;`,
    );
    expect(rows.every((row) => row.split(';').length === 9)).toBe(true);
  });
});

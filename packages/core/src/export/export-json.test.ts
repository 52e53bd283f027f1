import { describe, expect, it } from 'vitest';
import { exportJson } from './export-json.js';
import { bigReadings, input, MP_A, MP_B, series } from './test-fixtures.js';
import type { ExportContract, ExportDisclosure, ExportReading } from './types.js';

describe('exportJson', () => {
  it('writes the documented envelope with readings grouped by metering point and series', () => {
    const readings: ExportReading[] = [
      ...series(MP_A, 'consumption', 'PT1H', '2024-01-01T00:00:00Z', 2, (i) =>
        i === 0 ? 1234 : null,
      ),
      ...series(MP_B, 'consumption', 'PT15M', '2024-01-01T00:00:00Z', 1, () => -50),
      ...series(MP_A, 'production', 'PT15M', '2024-01-01T00:00:00Z', 1, () => 1000),
      ...series(MP_A, 'consumption', 'PT1H', '2024-01-01T02:00:00Z', 1, () => 7),
    ];
    const disclosure: ExportDisclosure = {
      at: '2026-02-01T08:00:00Z',
      role: 'dpo',
      recipient: 'Data protection officer',
      purpose: 'access_request',
      action: 'export.create',
    };
    const text = exportJson(input({ readings, disclosures: [disclosure] }));
    expect(JSON.parse(text)).toEqual({
      format: 'lukema-access-export',
      version: 2,
      customerId: 'C-1001',
      requestId: 'REQ-7',
      generatedAt: '2026-03-01T10:00:00Z',
      contracts: [
        {
          contractId: 'K-1',
          siteId: 'S-1',
          area: '001xx',
          meteringPointIds: [MP_A],
          startDate: '2024-01-01',
          endDate: '2025-06-01',
        },
      ],
      meteringPoints: [
        {
          meteringPointId: MP_A,
          series: [
            {
              direction: 'consumption',
              resolution: 'PT1H',
              readings: [
                ['2024-01-01T00:00:00Z', 1.234, 'measured', null],
                ['2024-01-01T01:00:00Z', null, 'missing', null],
                ['2024-01-01T02:00:00Z', 0.007, 'measured', null],
              ],
            },
            {
              direction: 'production',
              resolution: 'PT15M',
              readings: [['2024-01-01T00:00:00Z', 1, 'measured', null]],
            },
          ],
        },
        {
          meteringPointId: MP_B,
          series: [
            {
              direction: 'consumption',
              resolution: 'PT15M',
              readings: [['2024-01-01T00:00:00Z', -0.05, 'measured', null]],
            },
          ],
        },
      ],
      disclosures: [disclosure],
    });
    expect(text).toContain('["2024-01-01T00:00:00Z",1.000,"measured",null]');
    expect(text).toContain('["2024-01-01T00:00:00Z",-0.050,"measured",null]');
  });

  it('exports only the documented fields of contracts and disclosures', () => {
    const contract = { ...(input().contracts[0] as ExportContract), identityCode: '131052-308T' };
    const disclosure = {
      at: 'x',
      role: 'r',
      recipient: 'p',
      purpose: 'b',
      action: 'a',
      token: 's',
    };
    const text = exportJson(input({ contracts: [contract], disclosures: [disclosure] }));
    expect(text).not.toContain('131052-308T');
    expect(text).not.toContain('token');
  });

  it("writes each reading's Datahub status, null when the head-end sent none", () => {
    const readings = series(MP_A, 'consumption', 'PT1H', '2024-01-01T00:00:00Z', 3, () => 5).map(
      (r, i): ExportReading => ({
        ...r,
        dataStatus: [null, 'preliminary', 'final'][i] as ExportReading['dataStatus'],
      }),
    );
    const parsed = JSON.parse(exportJson(input({ readings })));
    expect(parsed.meteringPoints[0].series[0].readings.map((r: unknown[]) => r[3])).toEqual([
      null,
      'preliminary',
      'final',
    ]);
  });

  it('escapes strings from the caller', () => {
    const text = exportJson(input({ customerId: 'C"1\n' }));
    expect(JSON.parse(text).customerId).toBe('C"1\n');
  });

  it('writes 210,000 readings', () => {
    const parsed = JSON.parse(exportJson(input({ readings: bigReadings() })));
    const counts = parsed.meteringPoints.flatMap((p: { series: { readings: unknown[] }[] }) =>
      p.series.map((s) => s.readings.length),
    );
    expect(counts).toEqual([100_000, 60_000, 50_000]);
    expect(parsed.meteringPoints[1].series[0].readings[49_998]).toEqual([
      '2025-09-14T06:00:00Z',
      1.916,
      'measured',
      null,
    ]);
  });
});

/** Shared test data for the export tests. Not exported from the package. */
import type { Direction, Resolution } from '../reading.js';
import { RESOLUTION_MS } from '../reading.js';
import type { PrivacyPolicy } from './privacy-policy.js';
import type { AccessExportInput, ExportReading } from './types.js';

export const MP_A = '643007574000138589';
export const MP_B = '643007574000138596';

export const POLICY: PrivacyPolicy = {
  controller: { name: 'Example Energy Oy', businessId: '0000000-0', address: 'PO Box 0, Helsinki' },
  purposes: [
    { id: 'billing', name: 'Billing', description: 'Invoices.', legalBasis: 'Contract' },
    { id: 'access_request', name: 'Your rights', description: 'Requests.', legalBasis: 'Law' },
  ],
  dataCategories: [{ name: 'Consumption', description: 'Meter readings.' }],
  sources: [{ name: 'Energy meters', description: 'Head-end systems.' }],
  recipients: [{ name: 'Authorities', description: 'As the law requires.' }],
  retention: [{ data: 'Metering data', period: '6 years (configuration)' }],
  rights: [
    { id: 'access', name: 'Right of access', description: 'Inspect.', howTo: 'Write to the DPO.' },
  ],
  contact: { name: 'DPO', email: 'dpo@utility.example', address: 'PO Box 0, Helsinki' },
};

/** `count` consecutive readings of one series; quantity i → `wh(i)`. */
export function series(
  meteringPointId: string,
  direction: Direction,
  resolution: Resolution,
  startIso: string,
  count: number,
  wh: (i: number) => number | null = (i) => i,
): ExportReading[] {
  const start = Date.parse(startIso);
  return Array.from({ length: count }, (_, i) => {
    const quantityWh = wh(i);
    return {
      meteringPointId,
      direction,
      resolution,
      startMs: start + i * RESOLUTION_MS[resolution],
      quantityWh,
      quality: quantityWh === null ? 'missing' : 'measured',
    };
  });
}

/** 210,000 readings: two metering points, both directions, PT15M and PT1H mixed. */
export function bigReadings(): ExportReading[] {
  const pattern = (i: number) => (i % 1000 === 999 ? null : ((i * 37) % 2000) - 10);
  return [
    ...series(MP_A, 'consumption', 'PT15M', '2024-01-01T00:00:00Z', 100_000, pattern),
    ...series(MP_A, 'production', 'PT15M', '2024-01-01T00:00:00Z', 60_000, pattern),
    ...series(MP_B, 'consumption', 'PT1H', '2020-01-01T00:00:00Z', 50_000, pattern),
  ];
}

export function input(overrides: Partial<AccessExportInput> = {}): AccessExportInput {
  return {
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
    readings: [],
    disclosures: [],
    policy: POLICY,
    ...overrides,
  };
}

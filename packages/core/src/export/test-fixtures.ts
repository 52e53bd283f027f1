/** Shared test data for the export tests. Not exported from the package. */
import type { Direction, Resolution } from '../reading.js';
import { RESOLUTION_MS } from '../reading.js';
import { type PolicyTexts, type PrivacyPolicy, REQUIRED_RIGHTS } from './privacy-policy.js';
import {
  type Language,
  REPORT_TEXT_KEYS,
  type ReportTextKey,
  type ReportTexts,
} from './report-texts.js';
import type { AccessExportInput, ExportReading } from './types.js';

export const MP_A = '643007574000138589';
export const MP_B = '643007574000138596';

/** Every report text of the fixture: the key itself, its placeholders kept. */
function reportTexts(): ReportTexts {
  const texts = Object.fromEntries(REPORT_TEXT_KEYS.map((key) => [key, key])) as Record<
    ReportTextKey,
    string
  >;
  return {
    ...texts,
    title: 'Your personal data at {controller}',
    intro: 'Customer number {customerId}, request {requestId}, generated {generatedAt}.',
    decimalSeparator: '.',
    consumption: 'consumption',
    production: 'production',
    chartPerMonth: '{direction} per month',
    chartPerMonthDescription: '{direction}: {count} months from {from} to {to}.',
    chartPerMonthCaption: '{direction} per month (kWh)',
    chartPerDay: '{direction} per day',
    chartPerDayDescription: '{direction}: {count} days from {from} to {to}.',
    chartPerDayCaption: '{direction} per day (kWh)',
    barValue: '{label}: {kwh} kWh',
    barNoData: '{label}: no data',
    monthNames: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
  };
}

export const EN_TEXTS: PolicyTexts = {
  controller: { name: 'Example Energy Oy', businessId: '0000000-0', address: 'PO Box 0, Helsinki' },
  purposes: [
    { id: 'billing', name: 'Billing', description: 'Invoices.', legalBasis: 'Contract' },
    { id: 'access_request', name: 'Your rights', description: 'Requests.', legalBasis: 'Law' },
  ],
  dataCategories: [{ name: 'Consumption', description: 'Meter readings.' }],
  sources: [{ name: 'Energy meters', description: 'Head-end systems.' }],
  recipients: [{ name: 'Authorities', description: 'As the law requires.' }],
  transfers: 'No transfers outside the EU/EEA.',
  retention: [{ data: 'Metering data', period: '6 years (configuration)' }],
  automatedDecisionMaking: 'No automated decisions.',
  analytics: 'Analyses see pseudonymized data only.',
  rights: REQUIRED_RIGHTS.map((id) => ({
    id,
    name: id === 'access' ? 'Right of access' : `Right: ${id}`,
    description: 'Inspect.',
    howTo: 'Write to the DPO.',
  })),
  supervisoryAuthority: {
    name: 'Office of the Data Protection Ombudsman',
    address: 'PO Box 800, 00531 Helsinki',
    email: 'tietosuoja@om.fi',
    website: 'tietosuoja.fi/en',
  },
  contact: { name: 'DPO', email: 'dpo@utility.example', address: 'PO Box 0, Helsinki' },
  report: reportTexts(),
};

const UNTRANSLATED = new Set(['id', 'email', 'businessId', 'decimalSeparator']);

/** A stand-in translation: every text prefixed with `[fi] ` or `[sv] `. */
export function tagged<T>(value: T, language: Language, key = ''): T {
  if (typeof value === 'string') {
    return (UNTRANSLATED.has(key) ? value : `[${language}] ${value}`) as T;
  }
  if (Array.isArray(value)) return value.map((v) => tagged(v, language)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, tagged(v, language, k)]),
    ) as T;
  }
  return value;
}

export const POLICY: PrivacyPolicy = {
  defaultLanguage: 'en',
  languages: { fi: tagged(EN_TEXTS, 'fi'), sv: tagged(EN_TEXTS, 'sv'), en: EN_TEXTS },
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

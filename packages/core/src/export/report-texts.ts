/**
 * The report's own wording (headings, table headers, notes) is policy text, kept per
 * language in the privacy policy file; only the keys live in code. Templates name their
 * values in braces, e.g. `{customerId}`, filled by fillText.
 */

/** The languages an access report can be written in (Finnish, Swedish, English). */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Every text the report renders besides the policy's own sections. */
export const REPORT_TEXT_KEYS = [
  'title',
  'intro',
  'decimalSeparator',
  'sitesHeading',
  'sitesNone',
  'colSite',
  'colArea',
  'colContract',
  'colMeteringPoints',
  'colFirstDay',
  'colLastDay',
  'ongoing',
  'consumption',
  'production',
  'monthlyHeading',
  'dailyHeading',
  'noReadings',
  'chartPerMonth',
  'chartPerMonthDescription',
  'chartPerMonthCaption',
  'chartPerDay',
  'chartPerDayDescription',
  'chartPerDayCaption',
  'axisMonth',
  'axisDay',
  'axisKwh',
  'barValue',
  'barNoData',
  'totalsHeading',
  'totalsNote',
  'monthsCaption',
  'colMonth',
  'colConsumptionKwh',
  'colProductionKwh',
  'total',
  'seriesCaption',
  'colMeteringPoint',
  'colDirection',
  'colIntervals',
  'colMeasured',
  'colEstimated',
  'colSuspect',
  'colMissing',
  'colTotalKwh',
  'processingHeading',
  'controllerHeading',
  'controllerLabel',
  'businessIdLabel',
  'contactLabel',
  'purposesHeading',
  'purposesCaption',
  'colPurpose',
  'colPurposeMeaning',
  'colLegalBasis',
  'categoriesHeading',
  'sourcesHeading',
  'recipientsHeading',
  'transfersHeading',
  'retentionHeading',
  'retentionCaption',
  'colData',
  'colRetention',
  'automatedHeading',
  'rightsHeading',
  'howToUse',
  'authorityHeading',
  'disclosuresHeading',
  'disclosuresNone',
  'disclosuresIntro',
  'disclosuresCaption',
  'colWhen',
  'colRole',
  'colRecipient',
  'colAction',
  'analyticsHeading',
] as const;
export type ReportTextKey = (typeof REPORT_TEXT_KEYS)[number];

export type ReportTexts = Readonly<Record<ReportTextKey, string>> & {
  /** January to December. */
  readonly monthNames: readonly string[];
};

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** The names a template fills, sorted: `"{a} of {b}"` → `['a', 'b']`. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort();
}

/** Fills `{name}` in a template; a name without a value stays as written. Never throws. */
export function fillText(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

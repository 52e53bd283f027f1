/** The report's sections about the subject's own data: sites, totals and disclosures. */
import type { ReadingTotals } from './aggregate.js';
import { DAY_MS, displayKwh } from './format.js';
import { dayKey, helsinkiDayResolver } from './helsinki-time.js';
import { escapeHtml, htmlTable, p } from './html.js';
import type { PolicyTexts } from './privacy-policy.js';
import type { ReportTexts } from './report-texts.js';
import type { ExportContract, ExportDisclosure } from './types.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The last day of a `[start, end)` contract, for people: the day before `endDate`. */
function lastDay(endDate: string | null, ongoing: string): string {
  if (endDate === null) return ongoing;
  const m = DATE.exec(endDate);
  if (!m) return endDate;
  return dayKey(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS - 1);
}

/** Renders the sites and contract periods section. Never throws. */
export function sitesSection(contracts: readonly ExportContract[], r: ReportTexts): string {
  const body =
    contracts.length === 0
      ? p(r.sitesNone)
      : htmlTable({
          caption: r.sitesHeading,
          headers: [
            r.colSite,
            r.colArea,
            r.colContract,
            r.colMeteringPoints,
            r.colFirstDay,
            r.colLastDay,
          ],
          rows: contracts.map((c) => [
            c.siteId,
            c.area,
            c.contractId,
            c.meteringPointIds.join(', '),
            c.startDate,
            lastDay(c.endDate, r.ongoing),
          ]),
        });
  return `<section id="sites"><h2>${escapeHtml(r.sitesHeading)}</h2>${body}</section>`;
}

function kwhOrDash(wh: number | null, r: ReportTexts): string {
  return wh === null ? '–' : displayKwh(wh, r.decimalSeparator);
}

/** Renders the totals section: energy per month and readings per series. Never throws. */
export function totalsSection(totals: ReadingTotals, r: ReportTexts): string {
  const heading = `<h2>${escapeHtml(r.totalsHeading)}</h2>`;
  if (totals.series.length === 0) {
    return `<section id="totals">${heading}${p(r.noReadings)}</section>`;
  }
  const sum = (pick: (m: (typeof totals.months)[number]) => number | null) => {
    const values = totals.months.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  };
  const months = htmlTable({
    caption: r.monthsCaption,
    headers: [r.colMonth, r.colConsumptionKwh, r.colProductionKwh],
    rows: totals.months.map((m) => [
      m.month,
      kwhOrDash(m.consumptionWh, r),
      kwhOrDash(m.productionWh, r),
    ]),
    footer: [
      r.total,
      kwhOrDash(
        sum((m) => m.consumptionWh),
        r,
      ),
      kwhOrDash(
        sum((m) => m.productionWh),
        r,
      ),
    ],
    numeric: [1, 2],
  });
  const localDay = helsinkiDayResolver();
  const series = htmlTable({
    caption: r.seriesCaption,
    headers: [
      r.colMeteringPoint,
      r.colDirection,
      r.colIntervals,
      r.colMeasured,
      r.colEstimated,
      r.colSuspect,
      r.colMissing,
      r.colTotalKwh,
      r.colFirstDay,
      r.colLastDay,
    ],
    rows: totals.series.map((s) => [
      s.meteringPointId,
      r[s.direction],
      String(s.readings),
      String(s.byQuality.measured),
      String(s.byQuality.estimated),
      String(s.byQuality.suspect),
      String(s.byQuality.missing),
      displayKwh(s.totalWh, r.decimalSeparator),
      dayKey(localDay(s.firstMs)),
      dayKey(localDay(s.lastMs)),
    ]),
    numeric: [2, 3, 4, 5, 6, 7],
  });
  return `<section id="totals">${heading}${p(r.totalsNote)}${months}${series}</section>`;
}

/**
 * Renders "Disclosures and accesses of your data": what the audit trail recorded for this
 * person, and what it does not list (analyses of pseudonymized data). Never throws.
 */
export function disclosuresSection(
  disclosures: readonly ExportDisclosure[],
  t: PolicyTexts,
): string {
  const r = t.report;
  const purposeNames = new Map(t.purposes.map((x) => [x.id, x.name]));
  const body =
    disclosures.length === 0
      ? p(r.disclosuresNone)
      : p(r.disclosuresIntro) +
        htmlTable({
          caption: r.disclosuresCaption,
          headers: [r.colWhen, r.colRole, r.colRecipient, r.colPurpose, r.colAction],
          rows: disclosures.map((d) => [
            d.at,
            d.role,
            d.recipient,
            purposeNames.get(d.purpose) ?? d.purpose,
            d.action,
          ]),
        });
  const analytics = `<h3>${escapeHtml(r.analyticsHeading)}</h3>${p(t.analytics)}`;
  return `<section id="disclosures"><h2>${escapeHtml(r.disclosuresHeading)}</h2>${body}${analytics}</section>`;
}

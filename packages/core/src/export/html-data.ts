/** The report's sections about the subject's own data: sites, totals and disclosures. */
import type { ReadingTotals } from './aggregate.js';
import { DAY_MS, displayKwh } from './format.js';
import { dayKey, helsinkiDayResolver } from './helsinki-time.js';
import { htmlTable, p } from './html.js';
import type { PrivacyPolicy } from './privacy-policy.js';
import type { ExportContract, ExportDisclosure } from './types.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The last day of a `[start, end)` contract, for people: the day before `endDate`. */
function lastDay(endDate: string | null): string {
  if (endDate === null) return 'ongoing';
  const m = DATE.exec(endDate);
  if (!m) return endDate;
  return dayKey(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS - 1);
}

/** Renders the sites and contract periods section. Never throws. */
export function sitesSection(contracts: readonly ExportContract[]): string {
  const body =
    contracts.length === 0
      ? p('We have no contracts of yours on record.')
      : htmlTable({
          caption: 'Your sites and contract periods',
          headers: ['Site', 'Area', 'Contract', 'Metering points', 'First day', 'Last day'],
          rows: contracts.map((c) => [
            c.siteId,
            c.area,
            c.contractId,
            c.meteringPointIds.join(', '),
            c.startDate,
            lastDay(c.endDate),
          ]),
        });
  return `<section id="sites"><h2>Your sites and contract periods</h2>${body}</section>`;
}

function kwhOrDash(wh: number | null): string {
  return wh === null ? '–' : displayKwh(wh);
}

/** Renders the totals section: energy per month and readings per series. Never throws. */
export function totalsSection(totals: ReadingTotals): string {
  if (totals.series.length === 0) {
    return `<section id="totals"><h2>Totals</h2>${p('We have no readings of yours.')}</section>`;
  }
  const sum = (pick: (m: (typeof totals.months)[number]) => number | null) => {
    const values = totals.months.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  };
  const months = htmlTable({
    caption: 'Energy per month (kWh, Finnish time)',
    headers: ['Month', 'Consumption (kWh)', 'Production (kWh)'],
    rows: totals.months.map((m) => [
      m.month,
      kwhOrDash(m.consumptionWh),
      kwhOrDash(m.productionWh),
    ]),
    footer: [
      'Total',
      kwhOrDash(sum((m) => m.consumptionWh)),
      kwhOrDash(sum((m) => m.productionWh)),
    ],
    numeric: [1, 2],
  });
  const localDay = helsinkiDayResolver();
  const series = htmlTable({
    caption: 'Readings per metering point',
    headers: [
      'Metering point',
      'Direction',
      'Intervals',
      'Measured',
      'Estimated',
      'Suspect',
      'Missing',
      'Total (kWh)',
      'First day',
      'Last day',
    ],
    rows: totals.series.map((s) => [
      s.meteringPointId,
      s.direction,
      String(s.readings),
      String(s.byQuality.measured),
      String(s.byQuality.estimated),
      String(s.byQuality.suspect),
      String(s.byQuality.missing),
      displayKwh(s.totalWh),
      dayKey(localDay(s.firstMs)),
      dayKey(localDay(s.lastMs)),
    ]),
    numeric: [2, 3, 4, 5, 6, 7],
  });
  const note = p('Missing intervals are counted but add no energy. Days are Finnish local days.');
  return `<section id="totals"><h2>Totals</h2>${note}${months}${series}</section>`;
}

/** Renders "Disclosures and accesses of your data". Never throws. */
export function disclosuresSection(
  disclosures: readonly ExportDisclosure[],
  policy: PrivacyPolicy,
): string {
  const purposeNames = new Map(policy.purposes.map((x) => [x.id, x.name]));
  const body =
    disclosures.length === 0
      ? p('There were no disclosures of your data and no accesses to it.')
      : p('Every disclosure of your data and every access to it, as our audit trail recorded it.') +
        htmlTable({
          caption: 'Disclosures and accesses',
          headers: ['When', 'Role', 'Recipient', 'Purpose', 'Action'],
          rows: disclosures.map((d) => [
            d.at,
            d.role,
            d.recipient,
            purposeNames.get(d.purpose) ?? d.purpose,
            d.action,
          ]),
        });
  return `<section id="disclosures"><h2>Disclosures and accesses of your data</h2>${body}</section>`;
}

/**
 * The human-readable answer to an access request: one self-contained HTML file (inline CSS
 * and SVG, no script, no external resource) that can be e-mailed, opened offline and
 * printed, in the language the request chose. Every word of it comes from the policy.
 */
import { aggregateRuns, type ReadingTotals } from './aggregate.js';
import { escapeHtml, p } from './html.js';
import { dailySection, monthlySection } from './html-charts.js';
import { disclosuresSection, sitesSection, totalsSection } from './html-data.js';
import { policySection } from './html-policy.js';
import { type ReadingRun, readingRuns } from './reading-runs.js';
import { fillText } from './report-texts.js';
import type { AccessExportInput } from './types.js';

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;margin:0;line-height:1.5}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.5rem;border-bottom:1px solid #ccc}
h3{font-size:1.1rem;margin-top:1.5rem}h4{font-size:1rem;margin:1rem 0 .25rem}
table{border-collapse:collapse;margin:1rem 0;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tfoot td{font-weight:600}
figure{margin:1rem 0}figcaption{font-size:.9rem;color:#444}
svg.chart{width:100%;height:auto;font-family:inherit}
dt{font-weight:600}dd{margin:0 0 .5rem 1.5rem}
@media print{h2{break-after:avoid}figure,table{break-inside:avoid}}
`.trim();

/**
 * Renders the access-request report in `input.language` (the policy's default language
 * when none is given): the subject's sites and contract periods, monthly and daily energy
 * charts, totals, the information the law requires with an access answer (from the
 * policy), and every disclosure and access of their data. All text is escaped.
 * @throws RangeError when a reading has a non-finite startMs or quantityWh.
 */
export function htmlReport(input: AccessExportInput): string {
  return htmlReportOfRuns(input, readingRuns(input.readings));
}

/**
 * `htmlReport` with the readings given as runs (see ReadingRun); `input.readings` is not
 * read. Never throws.
 */
export function htmlReportOfRuns(
  input: Omit<AccessExportInput, 'readings'>,
  runs: readonly ReadingRun[],
): string {
  return htmlReportOfTotals(input, aggregateRuns(runs));
}

/**
 * `htmlReport` with the readings given as their totals (`aggregateRuns`, or a
 * `RunsAggregator` fed as they were read); `input.readings` is not read. Never throws.
 */
export function htmlReportOfTotals(
  input: Omit<AccessExportInput, 'readings'>,
  totals: ReadingTotals,
): string {
  const language = input.language ?? input.policy.defaultLanguage;
  const t = input.policy.languages[language];
  const title = fillText(t.report.title, { controller: t.controller.name });
  const intro = fillText(t.report.intro, {
    customerId: input.customerId,
    requestId: input.requestId,
    generatedAt: input.generatedAt,
  });
  return [
    `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>${escapeHtml(title)}</h1>`,
    p(intro),
    sitesSection(input.contracts, t.report),
    monthlySection(totals, t.report),
    dailySection(totals, t.report),
    totalsSection(totals, t.report),
    policySection(t),
    disclosuresSection(input.disclosures, t),
    '</main></body></html>\n',
  ].join('');
}

/**
 * The information an answer to an access request must give besides the data itself
 * (GDPR Art. 15(1)–(2)), generated from the privacy policy in the report's language so it
 * says what the notice says.
 */
import { escapeHtml, htmlTable, p } from './html.js';
import type { PolicyItem, PolicyTexts } from './privacy-policy.js';

function itemList(items: readonly PolicyItem[]): string {
  const entries = items.map(
    (item) => `<dt>${escapeHtml(item.name)}</dt><dd>${escapeHtml(item.description)}</dd>`,
  );
  return `<dl>${entries.join('')}</dl>`;
}

function subsection(id: string, title: string, body: string): string {
  return `<section id="${id}"><h3>${escapeHtml(title)}</h3>${body}</section>`;
}

function mailto(email: string): string {
  return `<a href="mailto:${escapeHtml(email)}">${escapeHtml(email)}</a>`;
}

function controllerAndContact(t: PolicyTexts): string {
  const { controller, contact, report } = t;
  return (
    `<dl><dt>${escapeHtml(report.controllerLabel)}</dt><dd>${escapeHtml(controller.name)} (${escapeHtml(report.businessIdLabel)} ${escapeHtml(controller.businessId)}), ${escapeHtml(controller.address)}</dd>` +
    `<dt>${escapeHtml(report.contactLabel)}</dt><dd>${escapeHtml(contact.name)}, ` +
    `${mailto(contact.email)}, ${escapeHtml(contact.address)}</dd></dl>`
  );
}

function rights(t: PolicyTexts): string {
  const entries = t.rights.map(
    (right) =>
      `<section class="right" id="right-${escapeHtml(right.id)}"><h4>${escapeHtml(right.name)}</h4>` +
      `${p(right.description)}<p><strong>${escapeHtml(t.report.howToUse)}</strong> ${escapeHtml(right.howTo)}</p></section>`,
  );
  return entries.join('');
}

// The website is shown as text, not a link: the report links to nothing outside itself.
function authority(t: PolicyTexts): string {
  const a = t.supervisoryAuthority;
  return `<p>${escapeHtml(a.name)}, ${escapeHtml(a.address)}, ${mailto(a.email)}, ${escapeHtml(a.website)}</p>`;
}

/** Renders the "How we process your personal data" section. Never throws. */
export function policySection(t: PolicyTexts): string {
  const r = t.report;
  const purposes = htmlTable({
    caption: r.purposesCaption,
    headers: [r.colPurpose, r.colPurposeMeaning, r.colLegalBasis],
    rows: t.purposes.map((x) => [x.name, x.description, x.legalBasis]),
  });
  const retention = htmlTable({
    caption: r.retentionCaption,
    headers: [r.colData, r.colRetention],
    rows: t.retention.map((x) => [x.data, x.period]),
  });
  return [
    `<section id="processing"><h2>${escapeHtml(r.processingHeading)}</h2>`,
    subsection('controller', r.controllerHeading, controllerAndContact(t)),
    subsection('purposes', r.purposesHeading, purposes),
    subsection('categories', r.categoriesHeading, itemList(t.dataCategories)),
    subsection('sources', r.sourcesHeading, itemList(t.sources)),
    subsection('recipients', r.recipientsHeading, itemList(t.recipients)),
    subsection('transfers', r.transfersHeading, p(t.transfers)),
    subsection('retention', r.retentionHeading, retention),
    subsection('automated-decisions', r.automatedHeading, p(t.automatedDecisionMaking)),
    subsection('rights', r.rightsHeading, rights(t)),
    subsection('authority', r.authorityHeading, authority(t)),
    '</section>',
  ].join('');
}

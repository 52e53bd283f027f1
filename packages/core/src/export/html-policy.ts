/**
 * The information an answer to an access request must give besides the data itself
 * (GDPR Art. 15(1)–(2)), generated from the privacy policy so it says what the notice says.
 */
import { escapeHtml, htmlTable, p } from './html.js';
import type { PolicyItem, PrivacyPolicy } from './privacy-policy.js';

function itemList(items: readonly PolicyItem[]): string {
  const entries = items.map(
    (item) => `<dt>${escapeHtml(item.name)}</dt><dd>${escapeHtml(item.description)}</dd>`,
  );
  return `<dl>${entries.join('')}</dl>`;
}

function subsection(id: string, title: string, body: string): string {
  return `<section id="${id}"><h3>${escapeHtml(title)}</h3>${body}</section>`;
}

function controllerAndContact(policy: PrivacyPolicy): string {
  const { controller, contact } = policy;
  return (
    `<dl><dt>Controller</dt><dd>${escapeHtml(controller.name)} (business ID ${escapeHtml(controller.businessId)}), ${escapeHtml(controller.address)}</dd>` +
    `<dt>Contact for questions about your data</dt><dd>${escapeHtml(contact.name)}, ` +
    `<a href="mailto:${escapeHtml(contact.email)}">${escapeHtml(contact.email)}</a>, ${escapeHtml(contact.address)}</dd></dl>`
  );
}

function rights(policy: PrivacyPolicy): string {
  const entries = policy.rights.map(
    (right) =>
      `<section class="right" id="right-${escapeHtml(right.id)}"><h4>${escapeHtml(right.name)}</h4>` +
      `${p(right.description)}<p><strong>How to use it:</strong> ${escapeHtml(right.howTo)}</p></section>`,
  );
  return entries.join('');
}

/** Renders the "How we process your personal data" section. Never throws. */
export function policySection(policy: PrivacyPolicy): string {
  const purposes = htmlTable({
    caption: 'Purposes of processing and their legal basis',
    headers: ['Purpose', 'What it means', 'Legal basis'],
    rows: policy.purposes.map((x) => [x.name, x.description, x.legalBasis]),
  });
  const retention = htmlTable({
    caption: 'How long data is kept',
    headers: ['Data', 'Retention period'],
    rows: policy.retention.map((x) => [x.data, x.period]),
  });
  return [
    '<section id="processing"><h2>How we process your personal data</h2>',
    subsection('controller', 'Controller and contact', controllerAndContact(policy)),
    subsection('purposes', 'Why we process your data', purposes),
    subsection('categories', 'What data we process', itemList(policy.dataCategories)),
    subsection('sources', 'Where the data comes from', itemList(policy.sources)),
    subsection('recipients', 'Who receives your data', itemList(policy.recipients)),
    subsection('retention', 'How long we keep your data', retention),
    subsection('rights', 'Your rights and how to use them', rights(policy)),
    '</section>',
  ].join('');
}

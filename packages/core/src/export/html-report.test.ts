import { describe, expect, it } from 'vitest';
import { htmlReport } from './html-report.js';
import type { PolicyRight } from './privacy-policy.js';
import { LANGUAGES } from './report-texts.js';
import { bigReadings, EN_TEXTS, input, MP_A, POLICY, series } from './test-fixtures.js';
import type { ExportContract, ExportDisclosure } from './types.js';

const DISCLOSURE: ExportDisclosure = {
  at: '2026-02-01T08:00:00Z',
  role: 'dpo',
  recipient: 'Data protection officer',
  purpose: 'access_request',
  action: 'export.create',
};

function section(html: string, id: string): string {
  const match = new RegExp(`<section id="${id}">(.*?)</section>`).exec(html);
  if (!match?.[1]) throw new Error(`no section ${id}`);
  return match[1];
}

describe('htmlReport', () => {
  const readings = [
    // 23:00–00:45 Helsinki around the end of January: 4 kWh in January, 4 kWh in February.
    ...series(MP_A, 'consumption', 'PT15M', '2024-01-31T21:00:00Z', 8, () => 1000),
    ...series(MP_A, 'production', 'PT1H', '2024-02-10T10:00:00Z', 2, (i) =>
      i === 0 ? 1500 : null,
    ),
  ];
  const html = htmlReport(input({ readings, disclosures: [DISCLOSURE] }));

  it('is one self-contained document: no script, no external resource', () => {
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(|@import|https?:/i);
    expect(html.match(/<svg /g)).toHaveLength(4);
  });

  it('has every required section, in order', () => {
    const ids = [...html.matchAll(/<section id="([a-z-]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual([
      'sites',
      'monthly',
      'daily',
      'totals',
      'processing',
      'controller',
      'purposes',
      'categories',
      'sources',
      'recipients',
      'transfers',
      'retention',
      'automated-decisions',
      'rights',
      'authority',
      'disclosures',
    ]);
    expect(html).toContain('<h2>disclosuresHeading</h2>');
  });

  it('lists sites and contract periods with the last day of a [start, end) period', () => {
    const sites = section(html, 'sites');
    expect(sites).toContain(
      `<td>S-1</td><td>001xx</td><td>K-1</td><td>${MP_A}</td><td>2024-01-01</td><td>2025-05-31</td>`,
    );
  });

  it('totals months in Helsinki time across the month boundary', () => {
    const totals = section(html, 'totals');
    expect(totals).toContain('<td>2024-01</td><td class="num">4.000</td><td class="num">–</td>');
    expect(totals).toContain(
      '<td>2024-02</td><td class="num">4.000</td><td class="num">1.500</td>',
    );
    expect(totals).toContain('<td>total</td><td class="num">8.000</td><td class="num">1.500</td>');
    expect(html).toContain('<title>January 2024: 4.000 kWh</title>');
    expect(html).toContain('<title>February 2024: 4.000 kWh</title>');
    expect(html).toContain('<title>2024-02-01: 4.000 kWh</title>');
  });

  it('counts missing readings per series without adding energy', () => {
    expect(section(html, 'totals')).toContain(
      `<td>${MP_A}</td><td>production</td><td class="num">2</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">1</td><td class="num">1.500</td>`,
    );
  });

  it('gives the information the law requires, from the policy', () => {
    const processing = html.slice(html.indexOf('<section id="processing">'));
    expect(processing).toContain('Example Energy Oy (businessIdLabel 0000000-0)');
    expect(processing).toContain('<a href="mailto:dpo@utility.example">dpo@utility.example</a>');
    expect(processing).toContain('<td>Billing</td><td>Invoices.</td><td>Contract</td>');
    expect(processing).toContain('<dt>Energy meters</dt><dd>Head-end systems.</dd>');
    expect(processing).toContain('<td>Metering data</td><td>6 years (configuration)</td>');
    expect(processing).toContain('<h4>Right of access</h4>');
    expect(processing).toContain('<strong>howToUse</strong> Write to the DPO.');
    expect(processing).toContain('<p>No transfers outside the EU/EEA.</p>');
    expect(processing).toContain('<p>No automated decisions.</p>');
    for (const right of ['erasure', 'restriction', 'complaint']) {
      expect(processing).toContain(`<h4>Right: ${right}</h4>`);
    }
    expect(section(html, 'authority')).toContain(
      'Office of the Data Protection Ombudsman, PO Box 800, 00531 Helsinki',
    );
  });

  it('lists each disclosure, naming the purpose as the policy does', () => {
    expect(section(html, 'disclosures')).toContain(
      '<td>2026-02-01T08:00:00Z</td><td>dpo</td><td>Data protection officer</td><td>Your rights</td><td>export.create</td>',
    );
  });

  it('says what the list of disclosures leaves out: analyses of pseudonymized data', () => {
    expect(section(html, 'disclosures')).toContain(
      '<h3>analyticsHeading</h3><p>Analyses see pseudonymized data only.</p>',
    );
  });

  it('says so when there were no disclosures and no readings', () => {
    const empty = htmlReport(input());
    expect(section(empty, 'disclosures')).toContain('<p>disclosuresNone</p>');
    expect(section(empty, 'monthly')).toContain('noReadings');
    expect(empty).not.toContain('<svg');
  });

  it('escapes every text it is given', () => {
    const evil = '<script>alert("x")</script>';
    const hostile = htmlReport(
      input({
        customerId: evil,
        contracts: [{ ...(input().contracts[0] as ExportContract), siteId: evil }],
        readings: series(evil, 'consumption', 'PT1H', '2024-01-01T00:00:00Z', 1),
        disclosures: [{ ...DISCLOSURE, recipient: evil, purpose: evil }],
        policy: {
          ...POLICY,
          languages: {
            ...POLICY.languages,
            en: {
              ...EN_TEXTS,
              controller: { ...EN_TEXTS.controller, name: evil },
              rights: [{ ...(EN_TEXTS.rights[0] as PolicyRight), howTo: evil }],
              report: { ...EN_TEXTS.report, colSite: evil },
            },
          },
        },
      }),
    );
    expect(hostile).not.toContain('<script');
    expect(hostile).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('renders 210,000 readings into monthly and daily charts', () => {
    const big = htmlReport(input({ readings: bigReadings() }));
    expect(big.match(/<svg /g)).toHaveLength(4);
    // 60 daily bars per direction.
    const daily = section(big, 'daily');
    expect(daily.match(/<rect /g)).toHaveLength(120);
    expect(big.length).toBeLessThan(500_000);
  });
});

describe('htmlReport in each language', () => {
  const readings = series(MP_A, 'consumption', 'PT1H', '2024-01-31T22:00:00Z', 2, () => 1250);

  it.each(LANGUAGES)('renders in %s, every text from that language', (language) => {
    const html = htmlReport(input({ readings, language }));
    expect(html.startsWith(`<!DOCTYPE html><html lang="${language}">`)).toBe(true);
    const texts = POLICY.languages[language];
    expect(html).toContain(
      `<h1>${texts.report.title.replace('{controller}', texts.controller.name)}</h1>`,
    );
    expect(html).toContain(`<h2>${texts.report.sitesHeading}</h2>`);
    expect(html).toContain(`<h4>${texts.rights[0]?.name}</h4>`);
    // Every visible text of the other languages' stand-ins is absent.
    for (const other of LANGUAGES.filter((l) => l !== language && l !== 'en')) {
      expect(html).not.toContain(`[${other}]`);
    }
    // No heading, caption, column or label comes from code: each is the language's own.
    if (language !== 'en') {
      const labels = [
        ...html.matchAll(/<(h[1-4]|th|caption|strong|dt|figcaption)(?:\s[^>]*)?>([^<]*)</g),
      ];
      expect(labels.length).toBeGreaterThan(40);
      for (const [, tag, text] of labels) expect(`${tag}: ${text}`).toContain(`: [${language}] `);
    }
  });

  it('uses the policy default language when the request names none', () => {
    const fiDefault = { ...POLICY, defaultLanguage: 'fi' as const };
    const html = htmlReport(input({ readings, policy: fiDefault }));
    expect(html.startsWith('<!DOCTYPE html><html lang="fi">')).toBe(true);
    expect(html).toContain('<h2>[fi] sitesHeading</h2>');
  });

  it("writes kWh with the language's decimal separator", () => {
    const comma = {
      ...POLICY,
      languages: {
        ...POLICY.languages,
        sv: {
          ...POLICY.languages.sv,
          report: { ...POLICY.languages.sv.report, decimalSeparator: ',' },
        },
      },
    };
    const html = htmlReport(input({ readings, language: 'sv', policy: comma }));
    expect(html).toContain('<td class="num">2,500</td>');
    expect(htmlReport(input({ readings, language: 'en' }))).toContain('<td class="num">2.500</td>');
  });
});

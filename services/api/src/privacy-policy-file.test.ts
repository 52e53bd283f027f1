import { readFileSync } from 'node:fs';
import { htmlReport, LANGUAGES, type PolicyTexts, parsePrivacyPolicy } from '@lukema/core';
import { describe, expect, it } from 'vitest';

const text = readFileSync(new URL('../policy/privacy-policy.json', import.meta.url), 'utf8');
const policy = parsePrivacyPolicy(text);
const raw = JSON.parse(text) as { languages: Record<string, unknown> };

/** Every leaf of a JSON value as a path, e.g. `rights[6].howTo`. */
function paths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => paths(v, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => paths(v, at ? `${at}.${k}` : k));
  }
  return [at];
}

function render(language: (typeof LANGUAGES)[number]) {
  return htmlReport({
    customerId: '100000',
    requestId: 'r1',
    generatedAt: '2026-12-01T00:00:00Z',
    contracts: [
      {
        contractId: 'K-1',
        siteId: 'S-1',
        area: '001xx',
        meteringPointIds: ['643007574000138589'],
        startDate: '2026-01-01',
        endDate: null,
      },
    ],
    readings: [
      {
        meteringPointId: '643007574000138589',
        direction: 'consumption',
        resolution: 'PT1H',
        startMs: Date.UTC(2026, 10, 1),
        quantityWh: 1500,
        quality: 'measured',
      },
    ],
    disclosures: [],
    policy,
    language,
  });
}

/** What each language must say, in its own words (GDPR Art. 15). */
const MUST_SAY: Record<(typeof LANGUAGES)[number], readonly string[]> = {
  fi: [
    'Henkilötietosi – Example Energy Oy',
    'Tietosuojavaltuutetun toimisto',
    'Oikeus tietojen poistamiseen',
    'Oikeus käsittelyn rajoittamiseen',
    'Oikeus tehdä valitus valvontaviranomaiselle',
    'Automaattinen päätöksenteko',
    'Siirrot EU:n ja ETA:n ulkopuolelle',
    'Pseudonymisoitujen tietojen analyysit',
    '1,500',
  ],
  sv: [
    'Dina personuppgifter hos Example Energy Oy',
    'Dataombudsmannens byrå',
    'Rätt till radering',
    'Rätt till begränsning av behandling',
    'Rätt att lämna in klagomål till en tillsynsmyndighet',
    'Automatiserat beslutsfattande',
    'Överföringar utanför EU/EES',
    'Analyser av pseudonymiserade uppgifter',
    '1,500',
  ],
  en: [
    'Your personal data at Example Energy Oy',
    'Office of the Data Protection Ombudsman',
    'Right to erasure',
    'Right to restriction of processing',
    'Right to lodge a complaint with a supervisory authority',
    'Automated decision-making',
    'Transfers outside the EU/EEA',
    'Analyses of pseudonymized data',
    '1.500',
  ],
};

describe('the privacy policy file', () => {
  it('is valid, Finnish by default', () => {
    expect(policy.defaultLanguage).toBe('fi');
  });

  it('has every key in all three languages', () => {
    const en = paths(raw.languages.en).sort();
    expect(en.length).toBeGreaterThan(150);
    for (const language of LANGUAGES) expect(paths(raw.languages[language]).sort()).toEqual(en);
  });

  it('has a translation of its own for every text (none left in another language)', () => {
    const texts = (t: PolicyTexts) => new Set([t.report.title, t.transfers, t.analytics]);
    const [fi, sv, en] = LANGUAGES.map((l) => texts(policy.languages[l]));
    for (const value of fi ?? []) {
      expect(sv?.has(value)).toBe(false);
      expect(en?.has(value)).toBe(false);
    }
  });

  it.each(LANGUAGES)('renders the report in %s, with what Art. 15 requires', (language) => {
    const html = render(language);
    expect(html.startsWith(`<!DOCTYPE html><html lang="${language}">`)).toBe(true);
    for (const words of MUST_SAY[language]) expect(html).toContain(words);
    for (const other of LANGUAGES.filter((l) => l !== language)) {
      expect(html).not.toContain(MUST_SAY[other][0]);
      expect(html).not.toContain(MUST_SAY[other][2]);
    }
  });
});

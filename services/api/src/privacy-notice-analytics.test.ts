import { readFileSync } from 'node:fs';
import { DEFAULT_DISCLOSURE_RULE, LANGUAGES, parsePrivacyPolicy } from '@lukema/core';
import { loadConfig } from '@lukema/platform';
import { describe, expect, it } from 'vitest';

const text = readFileSync(new URL('../policy/privacy-policy.json', import.meta.url), 'utf8');
const policy = parsePrivacyPolicy(text);
const retentionPolicy = (
  JSON.parse(text) as { retentionPolicy: { stores: Array<{ store: string; keepDays?: number }> } }
).retentionPolicy;

/** What the notice must say of analytics over pseudonymized data, in each language. */
const SAYS: Record<(typeof LANGUAGES)[number], readonly RegExp[]> = {
  fi: [
    /yhteenvetoja postinumeroalueittain/,
    /alle viisi asiakasta/,
    /yli 15 %/,
    /kohinaa/,
    /kieltäneet/,
  ],
  sv: [
    /sammanställningar per postnummerområde/,
    /färre än fem kunder/,
    /mer än 15 %/,
    /brus/,
    /invänt/,
  ],
  en: [
    /totals by postal-code area/,
    /fewer than five customers/,
    /more than 15 %/,
    /noise/,
    /objected/,
  ],
};

describe('the privacy notice on analytics and retention', () => {
  it.each(LANGUAGES)(
    'says in %s that analyses give out only area totals under the k and dominance rules, with noise for research, honouring objections',
    (language) => {
      const said = policy.languages[language].analytics;
      for (const words of SAYS[language]) expect(said).toMatch(words);
    },
  );

  it('states the rules the code applies, and configuration cannot loosen them', () => {
    expect(DEFAULT_DISCLOSURE_RULE).toEqual({ minGroupSize: 5, dominanceShare: 0.15 });
    const config = loadConfig({});
    expect(config.analytics.minGroupSize).toBe(5);
    expect(config.analytics.dominanceShare).toBe(0.15);
    expect(() => loadConfig({ LUKEMA_ANALYTICS_MIN_GROUP_SIZE: '4' })).toThrow(/MIN_GROUP_SIZE/);
    expect(() => loadConfig({ LUKEMA_ANALYTICS_DOMINANCE_PERCENT: '20' })).toThrow(/DOMINANCE/);
  });

  it.each(LANGUAGES)(
    'gives in %s the same period for a store as the retention policy the stores are set from',
    (language) => {
      const linked = policy.languages[language].retention.filter((r) => r.store !== undefined);
      expect(linked.length).toBeGreaterThan(0);
      for (const row of linked) {
        const rule = retentionPolicy.stores.find((s) => s.store === row.store);
        expect(rule?.keepDays, `${row.store}`).toBe(Math.ceil((row.keepYears ?? 0) * 365.25));
      }
    },
  );
});

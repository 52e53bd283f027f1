import { describe, expect, it } from 'vitest';
import { parsePrivacyPolicy } from './privacy-policy.js';
import { PrivacyPolicyError } from './privacy-policy-error.js';
import type { Language } from './report-texts.js';
import { POLICY } from './test-fixtures.js';

type Mutable = Record<string, unknown>;

/** The policy's text after `change` edited one language's texts (English by default). */
function withChange(change: (texts: Mutable) => void, language: Language = 'en'): string {
  const policy = structuredClone(POLICY) as unknown as { languages: Record<Language, Mutable> };
  change(policy.languages[language]);
  return JSON.stringify(policy);
}

function errorOf(text: string): PrivacyPolicyError {
  try {
    parsePrivacyPolicy(text);
  } catch (error) {
    if (error instanceof PrivacyPolicyError) return error;
    throw error;
  }
  throw new Error('expected parsePrivacyPolicy to throw');
}

function item(policy: Mutable, list: string, index: number): Mutable {
  return (policy[list] as Mutable[])[index] as Mutable;
}

describe('parsePrivacyPolicy', () => {
  it('returns a valid policy as it is', () => {
    expect(parsePrivacyPolicy(JSON.stringify(POLICY))).toEqual(POLICY);
  });

  it.each<[string, (p: Mutable) => void, string, string]>([
    ['a missing section', (p) => delete p.controller, 'controller', 'is missing'],
    ['a missing list', (p) => delete p.retention, 'retention', 'is missing'],
    [
      'a missing nested field',
      (p) => delete item(p, 'purposes', 1).legalBasis,
      'purposes[1].legalBasis',
      'is missing',
    ],
    [
      'an empty string',
      (p) => {
        item(p, 'sources', 0).name = '  ';
      },
      'sources[0].name',
      'must be a non-empty string',
    ],
    [
      'a number for a string',
      (p) => {
        (p.contact as Mutable).email = 7;
      },
      'contact.email',
      'must be a non-empty string',
    ],
    [
      'an empty list',
      (p) => {
        p.recipients = [];
      },
      'recipients',
      'must be a non-empty array',
    ],
    [
      'an object for a list',
      (p) => {
        p.rights = {};
      },
      'rights',
      'must be a non-empty array',
    ],
    [
      'a list item that is not an object',
      (p) => {
        p.dataCategories = ['x'];
      },
      'dataCategories[0]',
      'must be an object',
    ],
    [
      'a purpose outside the closed list',
      (p) => {
        item(p, 'purposes', 0).id = 'profiling';
      },
      'purposes[0].id',
      'is not a known purpose: "profiling"',
    ],
    [
      'an unknown right',
      (p) => {
        item(p, 'rights', 0).id = 'veto';
      },
      'rights[0].id',
      'is not a known right: "veto"',
    ],
    [
      'a repeated purpose',
      (p) => {
        item(p, 'purposes', 1).id = 'billing';
      },
      'purposes[1].id',
      'repeats "billing"',
    ],
    [
      'a misspelt field',
      (p) => {
        item(p, 'purposes', 0).legalbasis = 'x';
      },
      'purposes[0].legalbasis',
      'is not a known field',
    ],
    [
      'an unknown section',
      (p) => {
        p.cookies = [];
      },
      'cookies',
      'is not a known field',
    ],
  ])('names the field for %s', (_, change, field, problem) => {
    const error = errorOf(withChange(change));
    expect(error).toBeInstanceOf(Error);
    expect(error.field).toBe(`languages.en.${field}`);
    expect(error.message).toBe(`privacy policy: languages.en.${field} ${problem}`);
    expect(error.retriable).toBe(false);
  });

  it.each<[string, (t: Mutable) => void, Language, string]>([
    [
      'a report text missing in Swedish',
      (t) => delete (t.report as Mutable).sitesHeading,
      'sv',
      'languages.sv.report.sitesHeading is missing',
    ],
    [
      'a month name too few in Finnish',
      (t) => (t.report as { monthNames: string[] }).monthNames.pop(),
      'fi',
      'languages.fi.report.monthNames must be an array of the 12 month names',
    ],
    [
      'a translation that drops a placeholder',
      (t) => {
        (t.report as Mutable).intro = 'Asiakasnumero {customerId}.';
      },
      'fi',
      'languages.fi.report.intro must fill the placeholders {customerId,generatedAt,requestId}',
    ],
    [
      'a translation listing other purposes',
      (t) => (t.purposes as Mutable[]).reverse(),
      'sv',
      'languages.sv.purposes must list the ids of the default language in its order: billing,access_request',
    ],
    [
      'a translation with fewer sources',
      (t) => {
        t.sources = [...(t.sources as Mutable[]), { name: 'x', description: 'y' }];
      },
      'fi',
      'languages.fi.sources must have 1 items, as the default language',
    ],
    [
      'no right to lodge a complaint',
      (t) => {
        t.rights = (t.rights as Mutable[]).filter((r) => r.id !== 'complaint');
      },
      'en',
      'languages.en.rights must include the right "complaint"',
    ],
    [
      'no supervisory authority',
      (t) => delete t.supervisoryAuthority,
      'sv',
      'languages.sv.supervisoryAuthority is missing',
    ],
    [
      'nothing said about transfers outside the EU/EEA',
      (t) => delete t.transfers,
      'fi',
      'languages.fi.transfers is missing',
    ],
  ])('refuses %s', (_, change, language, message) => {
    expect(errorOf(withChange(change, language)).message).toBe(`privacy policy: ${message}`);
  });

  it('refuses a missing language and an unknown default language', () => {
    const policy = structuredClone(POLICY) as unknown as Mutable;
    delete (policy.languages as Mutable).sv;
    expect(errorOf(JSON.stringify(policy)).message).toBe('privacy policy: languages.sv is missing');
    const other = { ...POLICY, defaultLanguage: 'de' };
    expect(errorOf(JSON.stringify(other)).message).toBe(
      'privacy policy: defaultLanguage must be one of fi, sv, en',
    );
  });

  it('rejects text that is not JSON or not an object', () => {
    const notJson = errorOf('{"controller":');
    expect(notJson.field).toBe('$');
    expect(notJson.message).toBe('privacy policy: $ is not valid JSON');
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
    expect(errorOf('[]').message).toBe('privacy policy: $ must be an object');
  });
});

import { describe, expect, it } from 'vitest';
import { parsePrivacyPolicy } from './privacy-policy.js';
import { PrivacyPolicyError } from './privacy-policy-error.js';
import { POLICY } from './test-fixtures.js';

type Mutable = Record<string, unknown>;

function withChange(change: (policy: Mutable) => void): string {
  const policy = structuredClone(POLICY) as unknown as Mutable;
  change(policy);
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
    expect(error.field).toBe(field);
    expect(error.message).toBe(`privacy policy: ${field} ${problem}`);
    expect(error.retriable).toBe(false);
  });

  it('rejects text that is not JSON or not an object', () => {
    const notJson = errorOf('{"controller":');
    expect(notJson.field).toBe('$');
    expect(notJson.message).toBe('privacy policy: $ is not valid JSON');
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
    expect(errorOf('[]').message).toBe('privacy policy: $ must be an object');
  });
});

/**
 * The privacy notice as data, so that an access answer states exactly what the notice
 * promises, in the language the person reads (Finnish, Swedish or English). The caller
 * reads the policy file and passes its text; nothing here does I/O.
 */
import { isPurpose } from '../access/purposes.js';
import { PrivacyPolicyError } from './privacy-policy-error.js';
import {
  isLanguage,
  LANGUAGES,
  type Language,
  placeholdersOf,
  REPORT_TEXT_KEYS,
  type ReportTexts,
} from './report-texts.js';

/** The data subject's rights a policy may describe (GDPR Articles 15–21 and 77). */
export const RIGHT_IDS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
  'complaint',
] as const;
export type RightId = (typeof RIGHT_IDS)[number];
/**
 * The rights every answer must name (GDPR Art. 15(1)(e)–(f)): a policy without one of
 * them is refused at start.
 */
export const REQUIRED_RIGHTS: readonly RightId[] = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'objection',
  'complaint',
];

export interface PolicyController {
  readonly name: string;
  /** Finnish business ID (Y-tunnus). */
  readonly businessId: string;
  readonly address: string;
}
export interface PolicyContact {
  readonly name: string;
  readonly email: string;
  readonly address: string;
}
export interface PolicyPurpose {
  /** One of the closed list of purposes (PURPOSES); checked when parsed. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly legalBasis: string;
}
export interface PolicyItem {
  readonly name: string;
  readonly description: string;
}
export interface PolicyRetention {
  readonly data: string;
  readonly period: string;
  /**
   * For a period the system enforces itself: which store it applies to (e.g. `audit-trail`)
   * and how many years entries are kept. Provisioning sets the store's retention from it, so
   * the notice and the system cannot drift apart.
   */
  readonly store?: string;
  readonly keepYears?: number;
}
export interface PolicyRight {
  readonly id: RightId;
  readonly name: string;
  readonly description: string;
  readonly howTo: string;
}

/** The supervisory authority a complaint goes to (in Finland the Data Protection Ombudsman). */
export interface PolicyAuthority {
  readonly name: string;
  readonly address: string;
  readonly email: string;
  readonly website: string;
}

/** The whole policy in one language. */
export interface PolicyTexts {
  readonly controller: PolicyController;
  readonly purposes: readonly PolicyPurpose[];
  readonly dataCategories: readonly PolicyItem[];
  readonly sources: readonly PolicyItem[];
  readonly recipients: readonly PolicyItem[];
  /** Whether and how data goes outside the EU/EEA (Art. 15(2)). */
  readonly transfers: string;
  readonly retention: readonly PolicyRetention[];
  /** Whether automated decision-making, profiling included, is used (Art. 15(1)(h)). */
  readonly automatedDecisionMaking: string;
  /** What the disclosure list does not show: analyses of pseudonymized data. */
  readonly analytics: string;
  readonly rights: readonly PolicyRight[];
  readonly supervisoryAuthority: PolicyAuthority;
  readonly contact: PolicyContact;
  readonly report: ReportTexts;
}

export interface PrivacyPolicy {
  /** The report's language when a request names none. */
  readonly defaultLanguage: Language;
  readonly languages: Readonly<Record<Language, PolicyTexts>>;
}

type Json = Record<string, unknown>;

function fail(field: string, problem: string): never {
  throw new PrivacyPolicyError(field, problem);
}

// Unknown keys are rejected so that a misspelt field (e.g. `legalbasis`) fails at start
// instead of silently leaving a gap in what customers are told.
function object(value: unknown, field: string, keys: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, 'must be an object');
  }
  const json = value as Json;
  for (const key of Object.keys(json)) {
    if (!keys.includes(key)) fail(field === '$' ? key : `${field}.${key}`, 'is not a known field');
  }
  return json;
}

function text(json: Json, key: string, field: string): string {
  const value = json[key];
  const path = field === '$' ? key : `${field}.${key}`;
  if (value === undefined) fail(path, 'is missing');
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
  return value;
}

function list<T>(
  json: Json,
  key: string,
  field: string,
  item: (value: unknown, field: string) => T,
): T[] {
  const value = json[key];
  const path = `${field}.${key}`;
  if (value === undefined) fail(path, 'is missing');
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty array');
  return value.map((entry, i) => item(entry, `${path}[${i}]`));
}

function unique(items: readonly { id: string }[], path: string): void {
  const seen = new Set<string>();
  items.forEach(({ id }, i) => {
    if (seen.has(id)) fail(`${path}[${i}].id`, `repeats ${JSON.stringify(id)}`);
    seen.add(id);
  });
}

function fields<K extends string>(value: unknown, field: string, keys: readonly K[]) {
  const json = object(value, field, keys);
  return Object.fromEntries(keys.map((key) => [key, text(json, key, field)])) as Record<K, string>;
}

const ITEM_KEYS = ['name', 'description'] as const;
const PURPOSE_KEYS = ['id', 'name', 'description', 'legalBasis'] as const;
const RIGHT_KEYS = ['id', 'name', 'description', 'howTo'] as const;
const TEXT_KEYS = [
  'controller',
  'purposes',
  'dataCategories',
  'sources',
  'recipients',
  'transfers',
  'retention',
  'automatedDecisionMaking',
  'analytics',
  'rights',
  'supervisoryAuthority',
  'contact',
  'report',
] as const;
const KNOWN_RIGHTS: ReadonlySet<string> = new Set<string>(RIGHT_IDS);

function purpose(value: unknown, field: string): PolicyPurpose {
  const parsed = fields(value, field, PURPOSE_KEYS);
  if (!isPurpose(parsed.id))
    fail(`${field}.id`, `is not a known purpose: ${JSON.stringify(parsed.id)}`);
  return parsed;
}

function right(value: unknown, field: string): PolicyRight {
  const parsed = fields(value, field, RIGHT_KEYS);
  if (!KNOWN_RIGHTS.has(parsed.id)) {
    fail(`${field}.id`, `is not a known right: ${JSON.stringify(parsed.id)}`);
  }
  return { ...parsed, id: parsed.id as RightId };
}

function retention(value: unknown, field: string): PolicyRetention {
  const json = object(value, field, ['data', 'period', 'store', 'keepYears']);
  const parsed = { data: text(json, 'data', field), period: text(json, 'period', field) };
  if (json.store === undefined && json.keepYears === undefined) return parsed;
  const years = json.keepYears;
  if (typeof years !== 'number' || !Number.isInteger(years) || years < 1) {
    fail(`${field}.keepYears`, 'must be a whole number of years (1 or more) beside store');
  }
  return { ...parsed, store: text(json, 'store', field), keepYears: years };
}

function report(value: unknown, field: string): ReportTexts {
  const json = object(value, field, [...REPORT_TEXT_KEYS, 'monthNames']);
  const texts = Object.fromEntries(REPORT_TEXT_KEYS.map((key) => [key, text(json, key, field)]));
  const months = json.monthNames;
  if (!Array.isArray(months) || months.length !== 12) {
    fail(`${field}.monthNames`, 'must be an array of the 12 month names');
  }
  months.forEach((name, i) => {
    if (typeof name !== 'string' || name.trim() === '') {
      fail(`${field}.monthNames[${i}]`, 'must be a non-empty string');
    }
  });
  return { ...(texts as Record<(typeof REPORT_TEXT_KEYS)[number], string>), monthNames: months };
}

function policyTexts(value: unknown, field: string): PolicyTexts {
  const json = object(value, field, TEXT_KEYS);
  for (const key of TEXT_KEYS) if (json[key] === undefined) fail(`${field}.${key}`, 'is missing');
  const at = (key: string) => `${field}.${key}`;
  const texts: PolicyTexts = {
    controller: fields(json.controller, at('controller'), ['name', 'businessId', 'address']),
    purposes: list(json, 'purposes', field, purpose),
    dataCategories: list(json, 'dataCategories', field, (v, f) => fields(v, f, ITEM_KEYS)),
    sources: list(json, 'sources', field, (v, f) => fields(v, f, ITEM_KEYS)),
    recipients: list(json, 'recipients', field, (v, f) => fields(v, f, ITEM_KEYS)),
    transfers: text(json, 'transfers', field),
    retention: list(json, 'retention', field, retention),
    automatedDecisionMaking: text(json, 'automatedDecisionMaking', field),
    analytics: text(json, 'analytics', field),
    rights: list(json, 'rights', field, right),
    supervisoryAuthority: fields(json.supervisoryAuthority, at('supervisoryAuthority'), [
      'name',
      'address',
      'email',
      'website',
    ]),
    contact: fields(json.contact, at('contact'), ['name', 'email', 'address']),
    report: report(json.report, at('report')),
  };
  unique(texts.purposes, at('purposes'));
  unique(texts.rights, at('rights'));
  for (const id of REQUIRED_RIGHTS) {
    if (!texts.rights.some((r) => r.id === id))
      fail(at('rights'), `must include the right "${id}"`);
  }
  return texts;
}

const ids = (items: readonly { id: string }[]) => items.map((x) => x.id).join(',');

/**
 * A translation says the same as the default language: the same purposes and rights in the
 * same order, as many items in every list, and the same `{placeholders}` in each template.
 */
function sameAsDefault(texts: PolicyTexts, base: PolicyTexts, field: string): void {
  for (const key of ['purposes', 'rights'] as const) {
    if (ids(texts[key]) !== ids(base[key])) {
      fail(
        `${field}.${key}`,
        `must list the ids of the default language in its order: ${ids(base[key])}`,
      );
    }
  }
  for (const key of ['dataCategories', 'sources', 'recipients', 'retention'] as const) {
    if (texts[key].length !== base[key].length) {
      fail(`${field}.${key}`, `must have ${base[key].length} items, as the default language`);
    }
  }
  texts.retention.forEach((r, i) => {
    const b = base.retention[i];
    if (r.store !== b?.store || r.keepYears !== b?.keepYears) {
      fail(
        `${field}.retention[${i}]`,
        'must state the store and keepYears of the default language',
      );
    }
  });
  for (const key of REPORT_TEXT_KEYS) {
    const want = placeholdersOf(base.report[key]).join(',');
    if (placeholdersOf(texts.report[key]).join(',') !== want) {
      fail(`${field}.report.${key}`, `must fill the placeholders {${want}}`);
    }
  }
}

/**
 * Parses and checks the privacy policy file's text: every language of LANGUAGES present
 * with every field, every string non-empty, every list non-empty, purpose ids from the
 * closed list PURPOSES, right ids from RIGHT_IDS with every REQUIRED_RIGHTS one, no id
 * twice, no unknown field, and each translation matching the default language.
 * @throws PrivacyPolicyError (an Error) naming the missing or invalid field in `field`
 *   and in its message, e.g. `privacy policy: languages.sv.purposes[2].legalBasis is missing`.
 */
export function parsePrivacyPolicy(text: string): PrivacyPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new PrivacyPolicyError('$', 'is not valid JSON', { cause });
  }
  const json = object(raw, '$', ['defaultLanguage', 'languages', 'retentionPolicy']);
  const defaultLanguage = json.defaultLanguage;
  if (!isLanguage(defaultLanguage)) {
    fail('defaultLanguage', `must be one of ${LANGUAGES.join(', ')}`);
  }
  if (json.languages === undefined) fail('languages', 'is missing');
  const byLanguage = object(json.languages, 'languages', LANGUAGES);
  const languages = Object.fromEntries(
    LANGUAGES.map((language) => {
      const field = `languages.${language}`;
      if (byLanguage[language] === undefined) fail(field, 'is missing');
      return [language, policyTexts(byLanguage[language], field)];
    }),
  ) as Record<Language, PolicyTexts>;
  for (const language of LANGUAGES) {
    sameAsDefault(languages[language], languages[defaultLanguage], `languages.${language}`);
  }
  return { defaultLanguage, languages };
}

/**
 * The privacy notice as data, so that an access answer states exactly what the notice
 * promises. The caller reads the policy file and passes its text; nothing here does I/O.
 */
import { isPurpose } from '../access/purposes.js';
import { PrivacyPolicyError } from './privacy-policy-error.js';

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

export interface PrivacyPolicy {
  readonly controller: PolicyController;
  readonly purposes: readonly PolicyPurpose[];
  readonly dataCategories: readonly PolicyItem[];
  readonly sources: readonly PolicyItem[];
  readonly recipients: readonly PolicyItem[];
  readonly retention: readonly PolicyRetention[];
  readonly rights: readonly PolicyRight[];
  readonly contact: PolicyContact;
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

function list<T>(json: Json, key: string, item: (value: unknown, field: string) => T): T[] {
  const value = json[key];
  if (value === undefined) fail(key, 'is missing');
  if (!Array.isArray(value) || value.length === 0) fail(key, 'must be a non-empty array');
  return value.map((entry, i) => item(entry, `${key}[${i}]`));
}

function unique(items: readonly { id: string }[], key: string): void {
  const seen = new Set<string>();
  items.forEach(({ id }, i) => {
    if (seen.has(id)) fail(`${key}[${i}].id`, `repeats ${JSON.stringify(id)}`);
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
const TOP_KEYS = [
  'controller',
  'purposes',
  'dataCategories',
  'sources',
  'recipients',
  'retention',
  'rights',
  'contact',
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

/**
 * Parses and checks the privacy policy file's text: every field present, every string
 * non-empty, every list non-empty, purpose ids from the closed list PURPOSES, right ids
 * from RIGHT_IDS, no id twice and no unknown field.
 * @throws PrivacyPolicyError (an Error) naming the missing or invalid field in `field`
 *   and in its message, e.g. `privacy policy: purposes[2].legalBasis is missing`.
 */
export function parsePrivacyPolicy(text: string): PrivacyPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new PrivacyPolicyError('$', 'is not valid JSON', { cause });
  }
  const json = object(raw, '$', TOP_KEYS);
  for (const key of TOP_KEYS) if (json[key] === undefined) fail(key, 'is missing');
  const policy: PrivacyPolicy = {
    controller: fields(json.controller, 'controller', ['name', 'businessId', 'address']),
    purposes: list(json, 'purposes', purpose),
    dataCategories: list(json, 'dataCategories', (v, f) => fields(v, f, ITEM_KEYS)),
    sources: list(json, 'sources', (v, f) => fields(v, f, ITEM_KEYS)),
    recipients: list(json, 'recipients', (v, f) => fields(v, f, ITEM_KEYS)),
    retention: list(json, 'retention', retention),
    rights: list(json, 'rights', right),
    contact: fields(json.contact, 'contact', ['name', 'email', 'address']),
  };
  unique(policy.purposes, 'purposes');
  unique(policy.rights, 'rights');
  return policy;
}

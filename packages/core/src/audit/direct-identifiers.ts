import type { AuditEntry } from './audit-entry.js';
import { AuditPersonalDataError, type DirectIdentifierKind } from './audit-personal-data-error.js';

/*
 * Shapes, not validity: a mistyped identity code (wrong check character) or IBAN (wrong
 * checksum) is still someone's personal data, so no checksum is verified. Each pattern is
 * anchored on token boundaries so that pseudonyms, hashes, GSRNs and ISO dates, which are
 * long runs of letters and digits, do not match somewhere in their middle.
 */
const PATTERNS: ReadonlyArray<readonly [DirectIdentifierKind, RegExp]> = [
  [
    'personal-identity-code',
    // DDMMYY, century sign (+ - A-F U-Y), individual number, check character.
    /(?<![A-Za-z0-9])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![A-Za-z0-9])/i,
  ],
  ['iban', /(?<![A-Za-z0-9])FI(?: ?\d){16}(?! ?\d)(?![A-Za-z])/i],
  ['email', /[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+/],
  [
    'phone',
    // Not inside a run of digit groups (e.g. "2026-01-05 2026-02-01"), and not the start
    // of a longer number: 6 to 12 digits after the prefix, spaces or dashes between.
    /(?<![\w+])(?<!\d[ -])(?:\+358|0)(?:[ -]?\d){6,12}(?![ -]?\d)(?![A-Za-z])/,
  ],
];

function kindOf(text: string): DirectIdentifierKind | undefined {
  return PATTERNS.find(([, pattern]) => pattern.test(text))?.[0];
}

/**
 * Refuses an audit entry that holds what looks like a direct identifier: a Finnish
 * personal identity code, an e-mail address, a phone number or a Finnish IBAN, in the
 * actor, role, purpose, subject, or any details key or string value. The audit trail is
 * kept for years and read by auditors; it must name customers only by internal number or
 * pseudonym.
 * @throws AuditPersonalDataError naming the field and the kind (never the value).
 */
export function assertNoDirectIdentifiers(entry: AuditEntry): void {
  const fields: Array<readonly [string, unknown]> = [
    ['actor', entry.actor],
    ['role', entry.role],
    ['purpose', entry.purpose],
    ['subject', entry.subject],
  ];
  for (const [key, value] of Object.entries(entry.details ?? {})) {
    fields.push(['details key', key], ['details value', value]);
  }
  for (const [field, value] of fields) {
    if (typeof value !== 'string') continue;
    const kind = kindOf(value);
    if (kind) throw new AuditPersonalDataError(kind, field);
  }
}

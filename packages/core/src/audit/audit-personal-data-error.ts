import { LukemaError } from '../errors/lukema-error.js';

/** The kinds of direct identifier an audit entry is checked for. */
export type DirectIdentifierKind = 'personal-identity-code' | 'email' | 'phone' | 'iban';

const LABELS: Readonly<Record<DirectIdentifierKind, string>> = {
  'personal-identity-code': 'a personal identity code',
  email: 'an e-mail address',
  phone: 'a phone number',
  iban: 'a bank account (IBAN)',
};

/**
 * Thrown when an audit entry holds what looks like a direct identifier. Not retriable: the
 * same entry is refused again. Names the field and the kind, never the offending value.
 */
export class AuditPersonalDataError extends LukemaError {
  readonly kind: DirectIdentifierKind;
  /** 'actor', 'role', 'purpose', 'subject', 'details key' or 'details value'. */
  readonly field: string;

  constructor(kind: DirectIdentifierKind, field: string) {
    super(`audit entry ${field} looks like ${LABELS[kind]}`, {
      retriable: false,
      context: { kind, field },
    });
    this.kind = kind;
    this.field = field;
  }
}

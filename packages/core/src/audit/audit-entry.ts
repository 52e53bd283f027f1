import { ACTIONS } from '../access/roles.js';

/** Every action the audit trail records: what a token may do, and refusals of it. */
// Besides the token actions: refusals, and what a customer does on their own page.
export const AUDIT_ACTIONS = [
  ...ACTIONS,
  'access.denied',
  'self.view',
  'self.download',
  'self.request',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What happened, as the caller states it. Never holds a direct identifier. */
export interface AuditEntry {
  /** ISO 8601 instant. */
  readonly at: string;
  /** The API token's name. */
  readonly actor: string;
  readonly role: string;
  readonly purpose: string;
  readonly action: AuditAction;
  /** An internal customer number, a pseudonym, or 'population'. */
  readonly subject?: string;
  readonly outcome: 'allowed' | 'denied' | 'succeeded' | 'failed';
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** An entry as stored: its place in the chain and the hashes that link it. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

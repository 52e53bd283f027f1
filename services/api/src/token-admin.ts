import {
  isTokenName,
  LukemaError,
  type Purpose,
  type Role,
  type StoredToken,
  TOKEN_NAME_PATTERN,
} from '@lukema/core';
import type { AuditLog } from '@lukema/platform';
import { appendFirst } from './audit-first.js';
import type { TokenStore } from './token-store.js';

/** Who creates or revokes a token, as the audit trail names them. */
export interface TokenActor {
  readonly actor: string;
  readonly role: string;
  readonly purpose: string;
}

/** Thrown for a token name that is not a short slug (it could hold personal data). 400. */
export class TokenNameError extends LukemaError {
  readonly statusCode = 400;

  constructor() {
    super(`a token name must match ${TOKEN_NAME_PATTERN}`, { retriable: false });
  }
}

/**
 * Creating and revoking API tokens, each audited before it takes effect: a token that
 * could not be recorded is never stored, a revocation that could not be recorded is not
 * made.
 */
export class TokenAdmin {
  constructor(
    private readonly deps: {
      readonly store: TokenStore;
      readonly audit: AuditLog;
      /** Lifetime of a new token unless the caller gives one (LUKEMA_API_TOKEN_TTL_DAYS). */
      readonly ttlMs: number;
      /** Who acts when the caller names no one (e.g. the host that wires the API). */
      readonly defaultActor: TokenActor;
    },
  ) {}

  /**
   * Creates a token and returns it (shown once) with its record.
   * @throws TokenNameError; AuditRefusedError or AuditUnavailableError (nothing stored).
   */
  async issue(
    name: string,
    role: Role,
    purposes: readonly Purpose[],
    options: { readonly ttlMs?: number; readonly by?: TokenActor } = {},
  ): Promise<{ token: string; stored: StoredToken }> {
    if (!isTokenName(name)) throw new TokenNameError();
    const created = this.deps.store.prepare(name, role, purposes, options.ttlMs ?? this.deps.ttlMs);
    const { stored } = created;
    await appendFirst(this.deps.audit, {
      ...this.entryBase(options.by),
      action: 'token.create',
      outcome: 'allowed',
      details: {
        tokenId: stored.id,
        tokenName: stored.name,
        tokenRole: stored.role,
        tokenPurposes: stored.purposes.join(','),
        expiresAt: stored.expiresAt,
      },
    });
    await this.deps.store.save(created);
    return created;
  }

  /** As {@link TokenAdmin.issue}, returning only the token. */
  async create(
    name: string,
    role: Role,
    purposes: readonly Purpose[],
    options: { readonly ttlMs?: number; readonly by?: TokenActor } = {},
  ): Promise<string> {
    return (await this.issue(name, role, purposes, options)).token;
  }

  /**
   * Revokes a token by its id; from then on it gets 401. Returns the record as revoked, or
   * undefined when no token has that id (recorded as a failed attempt).
   * @throws AuditRefusedError or AuditUnavailableError (nothing revoked).
   */
  async revoke(id: string, by?: TokenActor): Promise<StoredToken | undefined> {
    const stored = await this.deps.store.byId(id);
    await appendFirst(this.deps.audit, {
      ...this.entryBase(by),
      action: 'token.revoke',
      outcome: stored ? 'allowed' : 'failed',
      details: stored
        ? { tokenId: id, tokenName: stored.name, alreadyRevoked: Boolean(stored.revokedAt) }
        : { tokenId: id },
    });
    if (!stored) return undefined;
    const at = new Date();
    await this.deps.store.revoke(id, at);
    return stored.revokedAt ? stored : { ...stored, revokedAt: at.toISOString() };
  }

  /** The store, for the guard's lookups. */
  get store(): TokenStore {
    return this.deps.store;
  }

  list(): Promise<StoredToken[]> {
    return this.deps.store.list();
  }

  private entryBase(by: TokenActor = this.deps.defaultActor) {
    return { at: new Date().toISOString(), ...by };
  }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A DPO signed in with their API token (kept server-side only, never sent back). */
export interface DpoSession {
  readonly kind: 'dpo';
  readonly token: string;
  readonly name: string;
}

/** A customer signed in through a one-time link or the identity provider. */
export interface CustomerSession {
  readonly kind: 'customer';
  readonly customerId: string;
  language: string;
}

export type Session = (DpoSession | CustomerSession) & {
  readonly id: string;
  /** The synchronizer token every state-changing form carries. */
  readonly csrf: string;
  expiresMs: number;
};

export const randomToken = () => randomBytes(32).toString('base64url');

/** Compares two secrets in constant time (a CSRF token, a pre-session value). */
export function sameSecret(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/**
 * Console sessions in the API's memory, with a sliding idle timeout. A restart of the API
 * signs everyone out, which is the safe direction; the session id is only in the cookie.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(data: DpoSession | CustomerSession): Session {
    this.sweep();
    const session = {
      ...data,
      id: randomToken(),
      csrf: randomToken(),
      expiresMs: this.now() + this.idleMs,
    } as Session;
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of that kind, its idle timeout renewed; undefined otherwise. */
  get<K extends Session['kind']>(
    id: string | undefined,
    kind: K,
  ): Extract<Session, { kind: K }> | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session || session.kind !== kind) return undefined;
    if (session.expiresMs <= this.now()) {
      this.sessions.delete(session.id);
      return undefined;
    }
    session.expiresMs = this.now() + this.idleMs;
    return session as Extract<Session, { kind: K }>;
  }

  destroy(id: string | undefined) {
    if (id) this.sessions.delete(id);
  }

  /** Ends every session of one customer (their erasure, a withdrawn identity). */
  destroyCustomer(customerId: string) {
    for (const s of this.sessions.values())
      if (s.kind === 'customer' && s.customerId === customerId) this.sessions.delete(s.id);
  }

  private sweep() {
    const now = this.now();
    for (const s of this.sessions.values()) if (s.expiresMs <= now) this.sessions.delete(s.id);
  }
}

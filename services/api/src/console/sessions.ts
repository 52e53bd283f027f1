import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DpoT } from './dpo-texts.js';

/** A DPO signed in with their API token (kept server-side only, never sent back). */
export interface DpoSession {
  readonly kind: 'dpo';
  readonly token: string;
  readonly name: string;
  /** The console's language, as the DPO chose it (English until then). */
  language?: string;
  /** The console's words in that language (set when the session is read; not stored). */
  t?: DpoT;
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
 * The key that seals a DPO's token in their stored session: HKDF-SHA256 of the keyring's
 * first master key (the secrets folder), info 'console-session-token', a key of its own.
 */
export function sessionTokenKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, 'lukema', 'console-session-token', 32));
}

/** AES-256-GCM, the session key as additional data: a sealed token moved to another key fails. */
export function sealToken(key: Buffer, token: string, sessionKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(sessionKey));
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The token, or undefined when the seal does not open (another key, altered bytes). */
export function openToken(key: Buffer, sealed: string, sessionKey: string): string | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12))
      .setAAD(Buffer.from(sessionKey))
      .setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The Redis commands the session store uses. */
export type SessionRedis = Pick<Redis, 'get' | 'set' | 'pexpire' | 'del' | 'scan'>;

interface Stored {
  readonly kind: 'dpo' | 'customer';
  readonly csrf: string;
  readonly name?: string;
  readonly sealedToken?: string;
  readonly customerId?: string;
  readonly language?: string;
}

/**
 * Console and customer-page sessions in Redis, so an API restart (or a second instance)
 * keeps them: the key is the SHA-256 of the session id (the id itself is only in the
 * cookie), the TTL is the idle timeout, renewed on each use. A DPO's API token is stored
 * sealed (AES-256-GCM under a key derived from the keyring), never in clear: the console
 * calls the API with it, so it must be recoverable, and a Redis dump alone does not give it.
 */
export class SessionStore {
  constructor(
    private readonly redis: SessionRedis,
    private readonly prefix: string,
    private readonly idleMs: number,
    private readonly tokenKey: Buffer,
  ) {}

  private keyOf(id: string) {
    return `${this.prefix}:${createHash('sha256').update(id).digest('hex')}`;
  }

  private stored(session: Session): Stored {
    const key = this.keyOf(session.id);
    return session.kind === 'dpo'
      ? {
          kind: 'dpo',
          csrf: session.csrf,
          name: session.name,
          sealedToken: sealToken(this.tokenKey, session.token, key),
          ...(session.language ? { language: session.language } : {}),
        }
      : {
          kind: 'customer',
          csrf: session.csrf,
          customerId: session.customerId,
          language: session.language,
        };
  }

  async create(data: DpoSession | CustomerSession): Promise<Session> {
    const session = { ...data, id: randomToken(), csrf: randomToken() } as Session;
    await this.save(session);
    return session;
  }

  /** Stores the session's current state (a changed language), renewing its idle timeout. */
  async save(session: Session): Promise<void> {
    const key = this.keyOf(session.id);
    await this.redis.set(key, JSON.stringify(this.stored(session)), 'PX', this.idleMs);
  }

  /** The live session of that kind, its idle timeout renewed; undefined otherwise. */
  async get<K extends Session['kind']>(
    id: string | undefined,
    kind: K,
  ): Promise<Extract<Session, { kind: K }> | undefined> {
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const key = this.keyOf(id);
    const raw = await this.redis.get(key);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Stored;
    if (s.kind !== kind) return undefined;
    await this.redis.pexpire(key, this.idleMs);
    if (s.kind === 'customer')
      return {
        kind: 'customer',
        id,
        csrf: s.csrf,
        customerId: s.customerId ?? '',
        language: s.language ?? '',
      } as Extract<Session, { kind: K }>;
    const token = openToken(this.tokenKey, s.sealedToken ?? '', key);
    if (!token) return undefined;
    return {
      kind: 'dpo',
      id,
      csrf: s.csrf,
      token,
      name: s.name ?? '',
      ...(s.language ? { language: s.language } : {}),
    } as Extract<Session, { kind: K }>;
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.redis.del(this.keyOf(id));
  }

  /** Ends every session of one customer (their erasure, a withdrawn identity). */
  async destroyCustomer(customerId: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const raw = await this.redis.get(key);
        const s = raw ? (JSON.parse(raw) as Stored) : undefined;
        if (s?.kind === 'customer' && s.customerId === customerId) await this.redis.del(key);
      }
    } while (cursor !== '0');
  }
}

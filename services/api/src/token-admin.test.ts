import {
  type AuditEntry,
  type AuditRecord,
  assertNoDirectIdentifiers,
  type StoredToken,
} from '@lukema/core';
import type { AuditLog } from '@lukema/platform';
import { describe, expect, it } from 'vitest';
import { AuditRefusedError, AuditUnavailableError } from './audit-first.js';
import { TokenAdmin, TokenNameError } from './token-admin.js';
import { RedisTokenStore, type TokenStore } from './token-store.js';

/** The store's bookkeeping in memory (prepare is RedisTokenStore's own, it does no I/O). */
function memoryStore(): TokenStore & { saved: StoredToken[] } {
  const saved: StoredToken[] = [];
  const prepare = RedisTokenStore.prototype.prepare;
  return {
    saved,
    prepare,
    lookup: async () => undefined,
    save: async ({ stored }) => {
      saved.push(stored);
    },
    byId: async (id) => saved.find((t) => t.id === id),
    revoke: async (id, at = new Date()) => {
      const i = saved.findIndex((t) => t.id === id);
      if (i < 0) return false;
      saved[i] = { ...(saved[i] as StoredToken), revokedAt: at.toISOString() };
      return true;
    },
    list: async () => saved,
  };
}

/** Checks entries as the real log does; can be made unavailable. */
function memoryAudit(): AuditLog & { entries: AuditEntry[]; down: boolean } {
  const log = {
    entries: [] as AuditEntry[],
    down: false,
    async append(entry: AuditEntry) {
      assertNoDirectIdentifiers(entry);
      if (log.down) throw new Error('broker down');
      log.entries.push(entry);
      return { ...entry, seq: log.entries.length, prevHash: '', hash: '' } as AuditRecord;
    },
    records: async () => [],
    head: () => undefined,
  };
  return log;
}

const actor = { actor: 'dpo-1', role: 'dpo', purpose: 'internal_operations' };

function setup() {
  const store = memoryStore();
  const audit = memoryAudit();
  const admin = new TokenAdmin({ store, audit, ttlMs: 90 * 86_400_000, defaultActor: actor });
  return { store, audit, admin };
}

describe('TokenAdmin', () => {
  it('records a creation before it stores the token, with its lifetime', async () => {
    const { store, audit, admin } = setup();
    const { token, stored } = await admin.issue('analyst-1', 'analyst', ['grid_planning']);
    expect(token).toMatch(/^lk_/);
    expect(store.saved).toEqual([stored]);
    expect(audit.entries).toMatchObject([
      { action: 'token.create', outcome: 'allowed', details: { tokenId: stored.id } },
    ]);
    expect(Date.parse(stored.expiresAt) - Date.parse(stored.createdAt)).toBe(90 * 86_400_000);
    expect(JSON.stringify(audit.entries)).not.toContain(token);
  });

  it('stores nothing when the trail is down or the name could hold personal data', async () => {
    const { store, audit, admin } = setup();
    audit.down = true;
    await expect(admin.issue('analyst-1', 'analyst', ['grid_planning'])).rejects.toBeInstanceOf(
      AuditUnavailableError,
    );
    audit.down = false;
    await expect(admin.issue('matti@example.fi', 'dpo', ['access_request'])).rejects.toBeInstanceOf(
      TokenNameError,
    );
    await expect(
      admin.issue('analyst-1', 'analyst', ['grid_planning'], {
        by: { ...actor, actor: '0401234567' },
      }),
    ).rejects.toBeInstanceOf(AuditRefusedError);
    expect(store.saved).toHaveLength(0);
  });

  it('revokes only once the revocation is recorded; an unknown id is recorded as failed', async () => {
    const { store, audit, admin } = setup();
    const { stored } = await admin.issue('analyst-1', 'analyst', ['grid_planning']);
    audit.down = true;
    await expect(admin.revoke(stored.id, actor)).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(store.saved[0]?.revokedAt).toBeUndefined();
    audit.down = false;
    expect((await admin.revoke(stored.id, actor))?.revokedAt).toBeDefined();
    expect(store.saved[0]?.revokedAt).toBeDefined();
    expect(await admin.revoke('0123456789abcdef', actor)).toBeUndefined();
    expect(audit.entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'token.create:allowed',
      'token.revoke:allowed',
      'token.revoke:failed',
    ]);
  });
});

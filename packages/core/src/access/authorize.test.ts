import { describe, expect, it } from 'vitest';
import { authorize, type Decision, type TokenGrant } from './authorize.js';
import { PURPOSES, type Purpose } from './purposes.js';
import type { Action, Role } from './roles.js';

function grant(role: Role, purposes: readonly Purpose[] = PURPOSES): TokenGrant {
  return { name: `test-${role}`, role, purposes };
}

function statusOf(decision: Decision): 'allowed' | 401 | 403 {
  return decision.allowed ? 'allowed' : decision.status;
}

describe('authorize: role × action', () => {
  // Each action with a purpose it is allowed for, so only the role decides.
  const cases: ReadonlyArray<readonly [Role, Action, Purpose, 'allowed' | 403]> = [
    ['dpo', 'export.create', 'access_request', 'allowed'],
    ['dpo', 'export.download', 'access_request', 'allowed'],
    ['dpo', 'reidentify', 'authority_request', 'allowed'],
    ['dpo', 'rectify.reading', 'access_request', 'allowed'],
    ['dpo', 'optout.set', 'access_request', 'allowed'],
    ['dpo', 'erase', 'access_request', 'allowed'],
    ['dpo', 'analytics.query', 'grid_planning', 'allowed'],
    ['dpo', 'audit.read', 'internal_operations', 'allowed'],
    ['dpo', 'token.create', 'internal_operations', 'allowed'],
    ['analyst', 'analytics.query', 'grid_planning', 'allowed'],
    ['analyst', 'export.create', 'access_request', 403],
    ['analyst', 'export.list', 'access_request', 403],
    ['analyst', 'reidentify', 'access_request', 403],
    ['analyst', 'audit.read', 'internal_operations', 403],
    ['analyst', 'token.create', 'internal_operations', 403],
    ['operator', 'export.list', 'access_request', 'allowed'],
    ['operator', 'audit.verify', 'internal_operations', 'allowed'],
    ['operator', 'export.create', 'access_request', 403],
    ['operator', 'export.download', 'access_request', 403],
    ['operator', 'audit.read', 'internal_operations', 403],
    ['operator', 'analytics.query', 'grid_planning', 403],
    ['operator', 'erase', 'access_request', 403],
    ['operator', 'deadletters.replay', 'internal_operations', 'allowed'],
    ['operator', 'deadletters.replay', 'access_request', 403],
    ['analyst', 'deadletters.replay', 'internal_operations', 403],
    ['processor', 'analytics.query', 'billing', 'allowed'],
    ['processor', 'reidentify', 'authority_request', 403],
    ['processor', 'rectify.contract', 'access_request', 403],
    ['processor', 'export.list', 'access_request', 403],
    ['processor', 'token.create', 'internal_operations', 403],
  ];

  it.each(cases)('%s doing %s for %s → %s', (role, action, purpose, expected) => {
    expect(statusOf(authorize(grant(role), action, purpose))).toBe(expected);
  });

  it('names the role and action when the role is refused', () => {
    expect(authorize(grant('analyst'), 'erase', 'access_request')).toEqual({
      allowed: false,
      status: 403,
      reason: 'the role analyst may not do erase',
    });
  });
});

describe('authorize: action × purpose', () => {
  const dpo = grant('dpo');
  const cases: ReadonlyArray<readonly [Action, Purpose, 'allowed' | 403]> = [
    ['export.create', 'access_request', 'allowed'],
    ['export.create', 'authority_request', 403],
    ['export.download', 'marketing', 403],
    ['export.retry', 'internal_operations', 403],
    ['reidentify', 'access_request', 'allowed'],
    ['reidentify', 'authority_request', 'allowed'],
    ['reidentify', 'customer_service', 403],
    ['reidentify', 'marketing', 403],
    ['rectify.contract', 'customer_service', 403],
    ['optout.set', 'marketing', 403],
    ['erase', 'internal_operations', 403],
    ['analytics.query', 'grid_planning', 'allowed'],
    ['analytics.query', 'service_delivery', 'allowed'],
    ['analytics.query', 'billing', 'allowed'],
    ['analytics.query', 'customer_service', 'allowed'],
    ['analytics.query', 'marketing', 'allowed'],
    ['analytics.query', 'market_research', 'allowed'],
    ['analytics.query', 'internal_operations', 'allowed'],
    ['analytics.query', 'access_request', 403],
    ['analytics.query', 'authority_request', 403],
    ['analytics.series', 'grid_planning', 'allowed'],
    ['analytics.series', 'marketing', 403],
    ['analytics.series', 'market_research', 403],
    ['analytics.series', 'billing', 403],
    ['audit.read', 'internal_operations', 'allowed'],
    ['audit.read', 'access_request', 'allowed'],
    ['audit.read', 'marketing', 403],
    ['audit.verify', 'access_request', 'allowed'],
    ['audit.verify', 'grid_planning', 403],
    ['token.create', 'internal_operations', 'allowed'],
    ['token.create', 'billing', 403],
  ];

  it.each(cases)('%s for %s → %s', (action, purpose, expected) => {
    expect(statusOf(authorize(dpo, action, purpose))).toBe(expected);
  });

  it('names the action and purpose when the purpose does not fit', () => {
    const decision = authorize(dpo, 'erase', 'marketing');
    expect(decision).toEqual({
      allowed: false,
      status: 403,
      reason: 'erase is not allowed for the purpose marketing',
    });
  });
});

describe('authorize: token and purpose checks', () => {
  it('answers 401 without a grant, whatever the action and purpose', () => {
    expect(authorize(undefined, 'analytics.query', 'grid_planning')).toEqual({
      allowed: false,
      status: 401,
      reason: 'missing or unknown token',
    });
    expect(statusOf(authorize(undefined, 'export.list', undefined))).toBe(401);
  });

  it('answers 403 when no purpose is declared', () => {
    for (const purpose of [undefined, '']) {
      expect(authorize(grant('dpo'), 'audit.read', purpose)).toEqual({
        allowed: false,
        status: 403,
        reason: 'a purpose is required',
      });
    }
  });

  it('answers 403 for an unknown purpose without echoing it', () => {
    for (const purpose of ['fun', 'MARKETING', 'toString', '100190-999P']) {
      const decision = authorize(grant('dpo'), 'analytics.query', purpose);
      expect(decision.allowed).toBe(false);
      if (decision.allowed) continue;
      expect(decision.status).toBe(403);
      expect(decision.reason).toMatch(/purpose is unknown/);
      expect(decision.reason).not.toContain(purpose);
    }
  });

  it('answers 403 when the token is not granted the declared purpose', () => {
    const analyst = grant('analyst', ['grid_planning']);
    expect(statusOf(authorize(analyst, 'analytics.query', 'grid_planning'))).toBe('allowed');
    const decision = authorize(analyst, 'analytics.query', 'marketing');
    expect(decision).toEqual({
      allowed: false,
      status: 403,
      reason: 'the token is not granted the purpose marketing',
    });
  });

  it('refuses a dpo token granted no purposes at all', () => {
    expect(statusOf(authorize(grant('dpo', []), 'erase', 'access_request'))).toBe(403);
  });
});

import { describe, expect, it } from 'vitest';
import {
  approvalProblem,
  CUSTOMER_PAGE_IDENTITY,
  receivedAtOf,
  receivedRequest,
  withDenial,
  withIdentityVerified,
} from './held-request.js';

const NOW = Date.UTC(2026, 11, 2, 12);
const base = {
  requestId: 'r1',
  customerId: '500001',
  receivedAt: '2026-11-30T00:00:00.000Z',
  nowMs: NOW,
};

describe('held access requests', () => {
  it('a letter waits for the identity check; the customer page is verified by its sign-in', () => {
    expect(receivedRequest({ ...base, channel: 'letter' }).state).toBe('identity to verify');
    const page = receivedRequest({ ...base, channel: 'customer_page', language: 'sv' });
    expect(page).toMatchObject({
      state: 'new',
      identityVerifiedBy: CUSTOMER_PAGE_IDENTITY,
      language: 'sv',
    });
    expect(approvalProblem(page)).toBeUndefined();
  });

  it('goes identity to verify → new → approvable, or denied with the reason', () => {
    const letter = receivedRequest({ ...base, channel: 'email' });
    expect(approvalProblem(letter)).toMatch(/identity/);
    const verified = withIdentityVerified(letter, 'passport seen at the counter', NOW);
    if (!('ok' in verified)) throw new Error(verified.problem);
    expect(verified.ok).toMatchObject({
      state: 'new',
      identityVerifiedBy: 'passport seen at the counter',
    });
    expect(withIdentityVerified(verified.ok, 'again', NOW)).toHaveProperty('problem');
    const denied = withDenial(letter, 'identity not verified', NOW);
    if (!('ok' in denied)) throw new Error(denied.problem);
    expect(denied.ok).toMatchObject({ state: 'denied', deniedReason: 'identity not verified' });
    expect(approvalProblem(denied.ok)).toMatch(/denied/);
    expect(withDenial(denied.ok, 'twice', NOW)).toHaveProperty('problem');
  });

  it('takes a receipt date that is real and not in the future', () => {
    expect(receivedAtOf('2026-11-30', NOW)).toEqual({ at: '2026-11-30T00:00:00.000Z' });
    expect(receivedAtOf(undefined, NOW)).toEqual({ at: new Date(NOW).toISOString() });
    expect(receivedAtOf('2026-02-30', NOW)).toHaveProperty('problem');
    expect(receivedAtOf('2026-12-03', NOW)).toHaveProperty('problem');
    expect(receivedAtOf('30.11.2026', NOW)).toHaveProperty('problem');
  });
});

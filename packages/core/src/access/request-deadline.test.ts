import { describe, expect, it } from 'vitest';
import { accessRequestDeadline, accessRequestStatus, daysLeft } from './request-deadline.js';

describe('the access request deadline', () => {
  it('is one calendar month after receipt, clamped to the month end', () => {
    expect(new Date(accessRequestDeadline(Date.UTC(2026, 10, 3, 9))).toISOString()).toBe(
      '2026-12-03T09:00:00.000Z',
    );
    expect(new Date(accessRequestDeadline(Date.UTC(2027, 0, 31, 12))).toISOString()).toBe(
      '2027-02-28T12:00:00.000Z',
    );
  });

  it('is three months after receipt once extended', () => {
    expect(new Date(accessRequestDeadline(Date.UTC(2026, 10, 30), true)).toISOString()).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });

  it('counts whole days left', () => {
    const deadline = accessRequestDeadline(Date.UTC(2026, 10, 3));
    expect(daysLeft(deadline, Date.UTC(2026, 10, 3))).toBe(30);
    expect(daysLeft(deadline, Date.UTC(2026, 11, 3, 1))).toBe(-1);
  });
});

describe('the access request status', () => {
  it('names the job states in the DPO vocabulary', () => {
    expect(accessRequestStatus('waiting', undefined, false)).toBe('approved');
    expect(accessRequestStatus('active', undefined, false)).toBe('running');
    expect(accessRequestStatus('completed', true, false)).toBe('ready');
    expect(accessRequestStatus('completed', true, true)).toBe('delivered');
    expect(accessRequestStatus('completed', false, false)).toBe('nothing found');
    expect(accessRequestStatus('failed', undefined, false)).toBe('failed');
  });
});

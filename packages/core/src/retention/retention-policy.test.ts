import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drifts, parseRetentionPolicy, retentionReport } from './retention-policy.js';

const shipped = readFileSync(
  new URL('../../../../services/api/policy/privacy-policy.json', import.meta.url),
  'utf8',
);
const DAY = 86_400_000;

describe('the retention policy file', () => {
  it('states every store of the shipped policy, each with a period and a reason', () => {
    const rules = parseRetentionPolicy(shipped);
    expect(rules.get('raw-readings')?.keepMs).toBe(2192 * DAY);
    expect(rules.get('audit-trail')?.keepMs).toBe(2192 * DAY);
    expect(rules.get('exports')?.keepMs).toBe(72 * 3_600_000);
    expect(rules.get('parked-readings')?.keepMs).toBeNull();
  });

  it('refuses a store missing, listed twice or without a period', () => {
    const policy = JSON.parse(shipped) as { retentionPolicy: { stores: unknown[] } };
    const without = {
      ...policy,
      retentionPolicy: { stores: policy.retentionPolicy.stores.slice(1) },
    };
    expect(() => parseRetentionPolicy(JSON.stringify(without))).toThrow(/lacks raw-readings/);
    const twice = {
      ...policy,
      retentionPolicy: {
        stores: [...policy.retentionPolicy.stores, policy.retentionPolicy.stores[0]],
      },
    };
    expect(() => parseRetentionPolicy(JSON.stringify(twice))).toThrow(/listed twice/);
    const bad = {
      ...policy,
      retentionPolicy: { stores: [{ store: 'rollups', why: 'because it is so' }] },
    };
    expect(() => parseRetentionPolicy(JSON.stringify(bad))).toThrow(/keepDays/);
  });

  it('reports drift per place', () => {
    const ok = {
      store: 'dead-letters' as const,
      where: 'kafka topic dl',
      policyMs: 90 * DAY,
      actualMs: 90 * DAY,
    };
    const off = { ...ok, actualMs: 30 * DAY };
    const keys = {
      store: 'window-state' as const,
      where: 'redis x:*',
      policyMs: 40 * DAY,
      actualMs: 40 * DAY,
      offending: 2,
    };
    expect([ok, off, keys].map(drifts)).toEqual([false, true, true]);
    const report = retentionReport([ok, off]);
    expect(report).toContain('DRIFT  dead-letters');
    expect(report).toContain('policy 90 d');
    expect(report).toContain('actual 30 d');
    expect(report.split('\n').at(-1)).toBe('retention: 1 drift(s)');
  });
});

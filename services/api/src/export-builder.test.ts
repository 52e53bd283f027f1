import type { AuditRecord } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { disclosuresOf } from './export-builder.js';

const base = {
  seq: 1,
  prevHash: '0',
  hash: '1',
  at: '2026-01-01T00:00:00Z',
  role: 'dpo',
  purpose: 'access_request',
};

describe('disclosuresOf', () => {
  it('lists the actual accesses of one customer, not refusals or other customers', () => {
    const records: AuditRecord[] = [
      { ...base, actor: 'dpo-1', action: 'export.download', outcome: 'succeeded', subject: '100' },
      { ...base, actor: 'dpo-1', action: 'reidentify', outcome: 'succeeded', subject: '200' },
      { ...base, actor: 'x', action: 'access.denied', outcome: 'denied', subject: '100' },
      {
        ...base,
        actor: 'analyst',
        action: 'analytics.query',
        outcome: 'succeeded',
        subject: 'population',
      },
    ];
    expect(disclosuresOf(records, '100')).toEqual([
      {
        at: base.at,
        role: 'dpo',
        recipient: 'dpo-1',
        purpose: 'access_request',
        action: 'export.download',
      },
    ]);
  });
});

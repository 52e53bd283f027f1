import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditRecord } from './audit-entry.js';
import { filterAuditRecords } from './audit-filter.js';
import { chainRecord } from './chain.js';

function chain(entries: Array<Partial<AuditEntry>>): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const e of entries)
    records.push(
      chainRecord(records.at(-1), {
        at: '2026-11-01T10:00:00.000Z',
        actor: 'dpo-1',
        role: 'dpo',
        purpose: 'access_request',
        action: 'export.create',
        outcome: 'allowed',
        ...e,
      }),
    );
  return records;
}

const chains = {
  api: chain([
    { subject: '100000', at: '2026-11-01T10:00:00.000Z' },
    { subject: '100002', at: '2026-11-02T10:00:00.000Z', action: 'reidentify' },
    { subject: '100000', at: '2026-11-03T10:00:00.000Z', actor: 'dpo-2', action: 'erase' },
    { at: 'not a date' },
  ]),
  registry: chain([{ subject: '100000', at: '2026-11-02T12:00:00.000Z', actor: 'registry' }]),
};

describe('filterAuditRecords', () => {
  it('returns every chain merged by time when nothing narrows', () => {
    const all = filterAuditRecords(chains, {});
    expect(all).toHaveLength(5);
    expect(all.slice(0, 4).map((r) => `${r.chain}:${r.seq}`)).toEqual([
      'api:1',
      'api:2',
      'registry:1',
      'api:3',
    ]);
  });

  it('narrows by customer, actor, action and time range, all together', () => {
    expect(filterAuditRecords(chains, { customer: '100000' }).map((r) => r.chain)).toEqual([
      'api',
      'registry',
      'api',
    ]);
    expect(filterAuditRecords(chains, { actor: 'dpo-2' })).toHaveLength(1);
    expect(filterAuditRecords(chains, { action: 'reidentify' })[0]?.subject).toBe('100002');
    const window = {
      fromMs: Date.parse('2026-11-02T00:00:00Z'),
      toMs: Date.parse('2026-11-03T10:00:00Z'),
    };
    expect(filterAuditRecords(chains, window).map((r) => `${r.chain}:${r.seq}`)).toEqual([
      'api:2',
      'registry:1',
    ]);
    expect(
      filterAuditRecords(chains, { ...window, customer: '100000', actor: 'registry' }),
    ).toHaveLength(1);
  });

  it('keeps the stored record intact, so it still verifies', () => {
    const [first] = filterAuditRecords(chains, { customer: '100002' });
    const { chain: name, ...record } = first as AuditRecord & { chain: string };
    expect(name).toBe('api');
    expect(record).toEqual(chains.api[1]);
  });
});

describe('filterAuditRecords and unreadable times', () => {
  it('matches a record with an unreadable time only when no time bound is given', () => {
    const odd = { api: chain([{ at: 'not a date' }]) };
    expect(filterAuditRecords(odd, {})).toHaveLength(1);
    expect(filterAuditRecords(odd, { fromMs: 0 })).toHaveLength(0);
    expect(filterAuditRecords(odd, { toMs: Date.now() })).toHaveLength(0);
  });
});

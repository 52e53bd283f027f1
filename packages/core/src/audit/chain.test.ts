import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditRecord } from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';
import { chainRecord, GENESIS_HASH, verifyChain } from './chain.js';

function entry(n: number): AuditEntry {
  return {
    at: `2026-03-0${n % 9}T10:00:00.000Z`,
    actor: 'analyst-token',
    role: 'analyst',
    purpose: 'network-planning',
    action: 'export.create',
    subject: n % 2 ? 'population' : undefined,
    outcome: 'succeeded',
    details: { rows: n * 10, format: 'csv', sample: n % 3 === 0 },
  };
}

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let n = 1; n <= length; n++) records.push(chainRecord(records.at(-1), entry(n)));
  return records;
}

function at(records: readonly AuditRecord[], index: number): AuditRecord {
  const record = records[index];
  if (!record) throw new Error(`no record at ${index}`);
  return record;
}

describe('chainRecord', () => {
  it('starts at seq 1 on the genesis hash', () => {
    const first = chainRecord(undefined, entry(1));
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
  });

  it('hashes prevHash followed by the canonical JSON of the record without its hash', () => {
    const [first, second] = chain(2);
    if (!first || !second) throw new Error('chain too short');
    const { hash, ...rest } = second;
    const expected = createHash('sha256')
      .update(first.hash + canonicalJson(rest))
      .digest('hex');
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(hash).toBe(expected);
  });

  it('takes only the entry fields, and copies details', () => {
    const details = { rows: 1 };
    const stray = { ...entry(2), details, seq: 99, hash: 'forged', extra: 'x' } as AuditEntry;
    const record = chainRecord(undefined, stray);
    expect(record.seq).toBe(1);
    expect(record).not.toHaveProperty('extra');
    expect(record).not.toHaveProperty('subject');
    details.rows = 2;
    expect(record.details).toEqual({ rows: 1 });
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, also after a JSON round trip', () => {
    const records = chain(5);
    const head = at(records, 4).hash;
    expect(verifyChain(records)).toEqual({ ok: true, count: 5, head });
    expect(verifyChain(JSON.parse(JSON.stringify(records)))).toEqual({ ok: true, count: 5, head });
  });

  it('accepts an empty chain, whose head is the genesis hash', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH })).toMatchObject({ ok: true });
  });

  it('finds an altered detail', () => {
    const records = chain(5);
    const third = at(records, 2);
    records[2] = { ...third, details: { ...third.details, rows: 31 } };
    expect(verifyChain(records)).toMatchObject({ ok: false, count: 2, brokenAt: 3 });
    expect(verifyChain(records)).toMatchObject({ reason: expect.stringMatching(/altered/) });
  });

  it('finds an added field and an altered outcome', () => {
    const records = chain(3);
    const added = [...records];
    added[1] = { ...at(records, 1), subject: 'C-1' };
    expect(verifyChain(added)).toMatchObject({ ok: false, brokenAt: 2 });
    const flipped = [...records];
    flipped[0] = { ...at(records, 0), outcome: 'denied' };
    expect(verifyChain(flipped)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('finds an altered record whose hash was recomputed, at the next link', () => {
    const records = chain(4);
    const { hash: _, ...rest } = at(records, 1);
    records[1] = chainRecord(at(records, 0), { ...rest, outcome: 'failed' });
    expect(verifyChain(records)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('finds a removed middle record', () => {
    const records = chain(5);
    records.splice(2, 1);
    expect(verifyChain(records)).toMatchObject({ ok: false, count: 2, brokenAt: 3 });
  });

  it('finds a removed middle record even when the later ones are renumbered', () => {
    const records = chain(5);
    records.splice(2, 1);
    const renumbered = records.map((r, i) => ({ ...r, seq: i + 1 }));
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('finds a removed first record', () => {
    expect(verifyChain(chain(3).slice(1))).toMatchObject({ ok: false, count: 0, brokenAt: 1 });
  });

  it('finds swapped records', () => {
    const records = chain(5);
    [records[1], records[2]] = [at(records, 2), at(records, 1)];
    expect(verifyChain(records)).toMatchObject({ ok: false, count: 1, brokenAt: 2 });
  });

  it('finds a truncated tail only against the expected head', () => {
    const records = chain(5);
    const head = at(records, 4);
    const truncated = records.slice(0, 3);
    expect(verifyChain(truncated)).toMatchObject({ ok: true });
    const result = verifyChain(truncated, head);
    expect(result).toMatchObject({ ok: false, count: 3, brokenAt: 4 });
    expect(result).toMatchObject({ reason: expect.stringMatching(/truncated/) });
    expect(verifyChain(records, head)).toEqual({ ok: true, count: 5, head: head.hash });
  });

  it('accepts a chain that grew past the expected head', () => {
    const records = chain(5);
    expect(verifyChain(records, at(records, 2))).toMatchObject({ ok: true, count: 5 });
  });

  it('finds a chain rewritten from some point, whose head differs from the expected', () => {
    const records = chain(4);
    const noted = at(records, 3);
    const rewritten = records.slice(0, 2);
    rewritten.push(chainRecord(rewritten.at(-1), { ...entry(3), outcome: 'failed' }));
    rewritten.push(chainRecord(rewritten.at(-1), entry(4)));
    expect(verifyChain(rewritten)).toMatchObject({ ok: true });
    expect(verifyChain(rewritten, noted)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('reports malformed stored records without throwing', () => {
    const records: unknown[] = chain(2);
    records.push(null);
    expect(verifyChain(records as AuditRecord[])).toMatchObject({ ok: false, brokenAt: 3 });
    const bad = chain(1).map((r) => ({ ...r, seq: 'x' as unknown as number }));
    expect(verifyChain(bad)).toMatchObject({
      ok: false,
      reason: 'record 1 carries an invalid seq',
    });
    expect(verifyChain([], { seq: -1, hash: GENESIS_HASH })).toMatchObject({ ok: false });
  });
});

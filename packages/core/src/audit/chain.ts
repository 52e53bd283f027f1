import { createHash } from 'node:crypto';
import type { AuditEntry, AuditRecord } from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

export type ChainVerification =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: number; reason: string };

/** The hash a record must carry: sha256 hex of `prevHash` + canonical JSON of the rest. */
function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(record.prevHash).update(canonicalJson(record)).digest('hex');
}

/**
 * Links an entry onto the chain after `prev` (or starts the chain when `prev` is undefined).
 * Only the fields of {@link AuditEntry} are taken from `entry`, so stray properties never
 * enter what is hashed. Does not check the entry for personal data
 * (see `assertNoDirectIdentifiers`).
 * @throws TypeError when a details value is a non-finite number (it has no JSON form).
 */
export function chainRecord(prev: AuditRecord | undefined, entry: AuditEntry): AuditRecord {
  const unhashed: Omit<AuditRecord, 'hash'> = {
    at: entry.at,
    actor: entry.actor,
    role: entry.role,
    purpose: entry.purpose,
    action: entry.action,
    ...(entry.subject === undefined ? {} : { subject: entry.subject }),
    outcome: entry.outcome,
    ...(entry.details === undefined ? {} : { details: { ...entry.details } }),
    seq: prev === undefined ? 1 : prev.seq + 1,
    prevHash: prev === undefined ? GENESIS_HASH : prev.hash,
  };
  return { ...unhashed, hash: hashOf(unhashed) };
}

/**
 * Checks that `records` (in stored order) form an unbroken chain from the genesis: seq
 * 1, 2, 3…, each `prevHash` the previous record's hash, each hash matching its content.
 * This finds an altered record, a removed one and a reordering. A removed tail leaves a
 * valid chain, so pass the head noted earlier (e.g. from `AuditLog.head()`) as
 * `expectedHead` to detect it: the chain must reach that seq with that hash.
 *
 * On failure `brokenAt` is the seq (1-based position) where the chain breaks, and `count`
 * the number of leading records that passed the link checks. Never throws.
 */
export function verifyChain(
  records: readonly AuditRecord[],
  expectedHead?: { seq: number; hash: string },
): ChainVerification {
  let prevHash = GENESIS_HASH;
  for (const [index, record] of records.entries()) {
    const problem = linkProblem(record, index + 1, prevHash);
    if (problem) return { ok: false, count: index, brokenAt: index + 1, reason: problem };
    prevHash = record.hash;
  }
  const count = records.length;
  if (expectedHead) {
    const problem = headProblem(records, expectedHead);
    if (problem) return { ok: false, count, brokenAt: problem.at, reason: problem.reason };
  }
  return { ok: true, count, head: prevHash };
}

function linkProblem(record: AuditRecord, seq: number, prevHash: string): string | undefined {
  // Records may come from storage, so nothing about their shape is taken on trust, and
  // reasons quote only numbers, never stored text.
  if (typeof record !== 'object' || record === null) return `record ${seq} is not an object`;
  if (record.seq !== seq) {
    const found = Number.isSafeInteger(record.seq) ? `seq ${record.seq}` : 'an invalid seq';
    return `record ${seq} carries ${found}`;
  }
  if (record.prevHash !== prevHash) return `record ${seq} does not link to record ${seq - 1}`;
  const { hash, ...unhashed } = record;
  let actual: string;
  try {
    actual = hashOf(unhashed);
  } catch {
    return `record ${seq} cannot be hashed`;
  }
  if (actual !== hash) return `record ${seq} does not match its hash (altered)`;
  return undefined;
}

function headProblem(
  records: readonly AuditRecord[],
  head: { seq: number; hash: string },
): { at: number; reason: string } | undefined {
  if (!Number.isSafeInteger(head.seq) || head.seq < 0) {
    return { at: 0, reason: 'the expected head has an invalid seq' };
  }
  if (head.seq > records.length) {
    return {
      at: records.length + 1,
      reason: `chain ends at seq ${records.length} before the expected head at seq ${head.seq} (truncated)`,
    };
  }
  const actual = head.seq === 0 ? GENESIS_HASH : records[head.seq - 1]?.hash;
  if (actual !== head.hash) {
    return { at: head.seq, reason: `record ${head.seq} differs from the expected head` };
  }
  return undefined;
}

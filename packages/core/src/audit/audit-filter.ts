import type { AuditAction, AuditRecord } from './audit-entry.js';

/** What the DPO asks the audit trail for; every field narrows, none is required. */
export interface AuditFilter {
  /** The internal customer number the entries are about (their subject). */
  readonly customer?: string;
  /** The token name that acted. */
  readonly actor?: string;
  readonly action?: AuditAction;
  /** Inclusive lower bound on `at`, epoch ms. */
  readonly fromMs?: number;
  /** Exclusive upper bound on `at`, epoch ms. */
  readonly toMs?: number;
}

/** An audit record with the name of the chain it was read from. */
export type ChainedAuditRecord = AuditRecord & { readonly chain: string };

/**
 * The records of every chain that match the filter, oldest first (by `at`, then chain and
 * seq, so that the order is stable). A record whose `at` is unreadable matches no time bound.
 */
export function filterAuditRecords(
  chains: Readonly<Record<string, readonly AuditRecord[]>>,
  filter: AuditFilter,
): ChainedAuditRecord[] {
  const matches: Array<ChainedAuditRecord & { readonly atMs: number }> = [];
  for (const [chain, records] of Object.entries(chains)) {
    for (const record of records) {
      const atMs = Date.parse(record.at);
      if (filter.customer !== undefined && record.subject !== filter.customer) continue;
      if (filter.actor !== undefined && record.actor !== filter.actor) continue;
      if (filter.action !== undefined && record.action !== filter.action) continue;
      if (filter.fromMs !== undefined && !(atMs >= filter.fromMs && Number.isFinite(atMs)))
        continue;
      if (filter.toMs !== undefined && !(atMs < filter.toMs)) continue;
      // An unreadable time sorts last instead of breaking the order of the rest.
      matches.push({
        ...record,
        chain,
        atMs: Number.isNaN(atMs) ? Number.POSITIVE_INFINITY : atMs,
      });
    }
  }
  matches.sort(
    (a, b) =>
      (a.atMs === b.atMs ? 0 : a.atMs < b.atMs ? -1 : 1) ||
      a.chain.localeCompare(b.chain) ||
      a.seq - b.seq,
  );
  return matches.map(({ atMs: _, ...record }) => record);
}

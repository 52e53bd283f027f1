import type { AuditEntry, AuditRecord } from '@lukema/core';

/** The append-only, hash-chained audit trail, as the services use it. */
export interface AuditLog {
  /**
   * Checks the entry for direct identifiers, chains it onto the head and makes it durable;
   * resolves with the stored record.
   */
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Every stored record, in seq order, read afresh from storage. */
  records(): Promise<AuditRecord[]>;
  /** The last record appended or loaded; undefined for an empty (or unloaded) log. */
  head(): AuditRecord | undefined;
}

import type {
  AuditLog,
  Logger,
  Objections,
  ReadingCorrection,
  RegistryWriter,
  StoredContract,
} from '@lukema/platform';

/**
 * The registry's own audit chain: what it records for the rectifications, objections,
 * corrected readings and erasures it carries out. Entries name customers by number only;
 * an entry the audit log refuses (it holds what looks like a direct identifier) throws a
 * non-retriable error, and the registry dead-letters the event that caused it.
 */
export function createRegistryAudit(deps: {
  readonly audit: AuditLog;
  readonly owners: Pick<RegistryWriter, 'findPseudonym'>;
  readonly logger: Logger;
  readonly now?: () => string;
}) {
  const now = deps.now ?? (() => new Date().toISOString());
  return {
    async recordRectification(contract: StoredContract, moved: number, parked: number) {
      // Counts only: a contract id names the customer's contract (the audit record has it).
      deps.logger.info({ moved, parked }, 'assignment rectified');
      await deps.audit.append({
        at: now(),
        actor: 'customer-system',
        role: 'processor',
        purpose: 'access_request',
        action: 'rectify.contract',
        outcome: 'succeeded',
        subject: contract.customerId,
        details: { contractId: contract.contractId, moved, parked },
      });
    },

    /** Recorded before the objection is stored: an objection the audit refuses is not applied. */
    async recordObjection(customerId: string, objections: Objections) {
      await deps.audit.append({
        at: now(),
        actor: objections.source,
        // The customer system acts as a processor; the DPO and the customer (own page) as themselves.
        role: objections.source === 'customer-system' ? 'processor' : objections.source,
        purpose: 'access_request',
        action: 'optout.set',
        outcome: 'succeeded',
        subject: customerId,
        details: {
          directMarketing: objections.directMarketing,
          marketResearch: objections.marketResearch,
        },
      });
    },

    /** The store keeps the current value; the audit keeps that it changed, and for whom. */
    async recordReadingCorrection(correction: ReadingCorrection) {
      const owner = await deps.owners.findPseudonym(correction.pseudonym);
      await deps.audit.append({
        at: now(),
        actor: 'head-end',
        role: 'processor',
        purpose: 'billing',
        action: 'rectify.reading',
        outcome: 'succeeded',
        ...(owner ? { subject: owner.customerId } : {}),
        details: {
          pseudonym: correction.pseudonym,
          windowStart: correction.windowStart,
          intervals: correction.intervals,
        },
      });
    },

    /** The audit keeps that an erasure happened, not whose data it was. */
    async recordErasure(requestId: string, contracts: number) {
      await deps.audit.append({
        at: now(),
        actor: 'registry',
        role: 'processor',
        purpose: 'access_request',
        action: 'erase',
        outcome: 'succeeded',
        details: { requestId, contracts },
      });
    },
  };
}

export type RegistryAudit = ReturnType<typeof createRegistryAudit>;

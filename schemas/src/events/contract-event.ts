import {
  type ContractEvent,
  customerNumberProblem,
  gsrnProblem,
  helsinkiDayStartUtc,
  identityCodeProblem,
  PoisonMessageError,
} from '@lukema/core';
import { z } from 'zod';
import { parseEvent } from './parse-event.js';

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/**
 * The JSON the customer system publishes on the contracts topic (key: contractId): new
 * assignments and their rectifications alike. A null value is a tombstone,
 * written by the customer system or by an erasure, and carries no event.
 */
export const CONTRACT_EVENT = z
  .object({
    contractId: z.string().min(1),
    customerId: z.string().min(1),
    siteId: z.string().min(1),
    postalCode: z.string(),
    meteringPointIds: z.array(z.string()),
    startDate: DATE,
    endDate: DATE.nullable(),
    status: z.enum(['active', 'cancelled']).default('active'),
    updatedAt: z.string(),
    /** Used only to find the customer by identity code: Lukema keeps its keyed hash. */
    personalIdentityCode: z.string().optional(),
  })
  // Names, addresses and contact data stay in the customer system; unknown fields are
  // refused so that none slips into the registry by accident.
  .strict();

/**
 * Parses and checks one contract event.
 * @throws PoisonMessageError naming the problem (never echoing field values).
 */
export function parseContractEvent(
  bytes: Buffer | null,
): ContractEvent & { personalIdentityCode?: string } {
  const event = parseEvent('contract event', CONTRACT_EVENT, bytes);
  // The one name the registry, the audit trail and an erasure know a customer by: an
  // identity code or anything else here would be stored under keys no erasure can reach.
  const customerProblem = customerNumberProblem(event.customerId);
  if (customerProblem) throw new PoisonMessageError(`contract event: ${customerProblem}`);
  if (event.personalIdentityCode !== undefined) {
    const problem = identityCodeProblem(event.personalIdentityCode);
    if (problem) throw new PoisonMessageError(`contract event: ${problem}`);
  }
  for (const id of event.meteringPointIds) {
    const problem = gsrnProblem(id);
    if (problem) throw new PoisonMessageError(`contract event: ${problem}`);
  }
  try {
    const start = helsinkiDayStartUtc(event.startDate);
    if (event.endDate !== null && helsinkiDayStartUtc(event.endDate) <= start) {
      throw new PoisonMessageError('contract event ends before it starts');
    }
  } catch (error) {
    if (error instanceof PoisonMessageError) throw error;
    throw new PoisonMessageError('contract event has an impossible date');
  }
  return event;
}

import { customerNumberProblem, PoisonMessageError } from '@lukema/core';
import { z } from 'zod';
import { encodeEvent, parseEvent } from './parse-event.js';

/**
 * The customer system's objections (opt-outs), key: customerId. `true` means the customer
 * forbids processing for that purpose (the notice's right to object).
 */
export const OBJECTION_EVENT = z
  .object({
    customerId: z.string().min(1),
    directMarketingOptOut: z.boolean(),
    marketResearchOptOut: z.boolean(),
    updatedAt: z.string(),
    source: z.enum(['customer-system', 'dpo', 'customer']).default('customer-system'),
  })
  .strict();

export type ObjectionEvent = z.input<typeof OBJECTION_EVENT>;

/** A customer's objections as the registry keeps them. */
export interface ObjectionState {
  readonly directMarketing: boolean;
  readonly marketResearch: boolean;
  readonly updatedAt: string;
  readonly source: 'customer-system' | 'dpo' | 'customer';
}

/**
 * Parses one objection event.
 * @throws PoisonMessageError naming the invalid fields (never their values).
 */
export function parseObjectionEvent(bytes: Buffer | string | null): {
  customerId: string;
  objections: ObjectionState;
} {
  const e = parseEvent('objection event', OBJECTION_EVENT, bytes);
  const customerProblem = customerNumberProblem(e.customerId);
  if (customerProblem) throw new PoisonMessageError(`objection event: ${customerProblem}`);
  return {
    customerId: e.customerId,
    objections: {
      directMarketing: e.directMarketingOptOut,
      marketResearch: e.marketResearchOptOut,
      updatedAt: e.updatedAt,
      source: e.source,
    },
  };
}

/** The JSON the API (for the DPO) publishes. @throws PoisonMessageError when invalid. */
export const objectionEventValue = (event: ObjectionEvent): string =>
  encodeEvent('objection event', OBJECTION_EVENT, event);

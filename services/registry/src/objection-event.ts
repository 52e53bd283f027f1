import { PoisonMessageError } from '@lukema/core';
import type { Objections } from '@lukema/platform';
import { z } from 'zod';

/**
 * The customer system's objections (opt-outs), key: customerId. `true` means the customer
 * forbids processing for that purpose (the notice's right to object).
 */
const OBJECTION_EVENT = z
  .object({
    customerId: z.string().min(1),
    directMarketingOptOut: z.boolean(),
    marketResearchOptOut: z.boolean(),
    updatedAt: z.string(),
    source: z.enum(['customer-system', 'dpo']).default('customer-system'),
  })
  .strict();

/**
 * Parses one objection event.
 * @throws PoisonMessageError naming the invalid fields (never their values).
 */
export function parseObjectionEvent(bytes: Buffer | null): {
  customerId: string;
  objections: Objections;
} {
  let json: unknown;
  try {
    json = JSON.parse(bytes?.toString('utf8') ?? '');
  } catch {
    throw new PoisonMessageError('objection event is not JSON');
  }
  const parsed = OBJECTION_EVENT.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || i.code).join(', ');
    throw new PoisonMessageError(`objection event is invalid at: ${where}`);
  }
  const e = parsed.data;
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

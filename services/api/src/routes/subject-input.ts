import { type AuditAction, customerNumberProblem, identityCodeProblem } from '@lukema/core';
import type { FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';

/** Whom a rights request is about: a customer number, or an identity code in its own field. */
export type SubjectInput =
  | { readonly kind: 'customer'; readonly customerId: string }
  | { readonly kind: 'identity'; readonly personalIdentityCode: string }
  | { readonly kind: 'invalid'; readonly problem: string };

/**
 * Checks a request body naming a data subject: exactly one of `customerId` (a customer
 * number, see CUSTOMER_NUMBER_PATTERN) or `personalIdentityCode` (a valid identity code).
 * An identity code given as a customer number is refused, never looked up or recorded.
 * Problems never repeat the values given.
 */
export function subjectOf(body: unknown): SubjectInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      kind: 'invalid',
      problem: 'the body must be a JSON object with customerId or personalIdentityCode',
    };
  }
  const { customerId, personalIdentityCode, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0) {
    return {
      kind: 'invalid',
      problem: 'the body may hold only customerId or personalIdentityCode',
    };
  }
  if (customerId !== undefined && personalIdentityCode !== undefined) {
    return { kind: 'invalid', problem: 'give customerId or personalIdentityCode, not both' };
  }
  if (customerId !== undefined) {
    const problem = customerNumberProblem(customerId);
    return problem
      ? { kind: 'invalid', problem }
      : { kind: 'customer', customerId: customerId as string };
  }
  if (personalIdentityCode !== undefined) {
    if (typeof personalIdentityCode !== 'string') {
      return { kind: 'invalid', problem: 'personalIdentityCode must be a string' };
    }
    const problem = identityCodeProblem(personalIdentityCode);
    return problem ? { kind: 'invalid', problem } : { kind: 'identity', personalIdentityCode };
  }
  return { kind: 'invalid', problem: 'give customerId or personalIdentityCode' };
}

/**
 * Records that an action recorded as allowed then failed. Best effort: the action's own
 * error (or answer) matters more to the caller than this second record.
 */
export async function recordOutcome(
  deps: Pick<ApiDeps, 'audit'>,
  request: FastifyRequest,
  action: AuditAction,
  subject: string | undefined,
  details: Record<string, string | number | boolean>,
): Promise<void> {
  await record(deps.audit, request, action, 'failed', subject, details).catch(() => undefined);
}

import type { AuditAction } from '@lukema/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';
import { recordOutcome, type SubjectInput } from './subject-input.js';

/**
 * The customer a rights request names: its customer number, or the customer the registry
 * knows by its identity code (used once, to find the customer; only the number is kept).
 * An unknown identity code is recorded as `action` failed and answered 404: undefined then.
 */
export async function customerOfSubject(
  deps: Pick<ApiDeps, 'audit' | 'registry' | 'identityHash'>,
  request: FastifyRequest,
  reply: FastifyReply,
  action: AuditAction,
  input: Exclude<SubjectInput, { kind: 'invalid' }>,
): Promise<string | undefined> {
  if (input.kind === 'customer') return input.customerId;
  const customer = await deps.registry.customerByIdentity(
    deps.identityHash(input.personalIdentityCode),
  );
  if (customer) return customer;
  await record(deps.audit, request, action, 'failed', undefined, {
    reason: 'no customer is known by the identity code given',
  });
  void reply.code(404).send({ error: 'no customer is known by that identity code' });
  return undefined;
}

/**
 * Starts an access export once its `export.create` record is durable: no export runs
 * unaudited. A start that fails is recorded as failed too, and its error thrown on.
 */
export async function startExportAudited(
  deps: Pick<ApiDeps, 'audit' | 'exports'>,
  request: FastifyRequest,
  details: Record<string, string | number | boolean>,
  job: Parameters<ApiDeps['exports']['start']>[0],
): Promise<void> {
  await record(deps.audit, request, 'export.create', 'allowed', job.customerId, details);
  try {
    await deps.exports.start(job);
  } catch (error) {
    await recordOutcome(deps, request, 'export.create', job.customerId, details);
    throw error;
  }
}

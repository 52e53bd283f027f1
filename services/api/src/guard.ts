import {
  type Action,
  type AuditAction,
  authorize,
  type Decision,
  isPurpose,
  type TokenGrant,
} from '@lukema/core';
import type { AuditLog } from '@lukema/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { appendFirst } from './audit-first.js';
import type { TokenStore } from './token-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    grant?: TokenGrant;
    purpose?: string;
  }
}

/**
 * Every request names its purpose (header `x-lukema-purpose`) and carries a token
 * (`authorization: Bearer …`). An action outside the role's or purpose's rights is refused
 * with 401/403, and the refusal is recorded in the audit trail.
 */
export function guard(tokens: TokenStore, audit: AuditLog) {
  return (action: Action) => async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const found = token ? await tokens.lookup(token) : undefined;
    const grant = found && 'grant' in found ? found.grant : undefined;
    const purpose = request.headers['x-lukema-purpose'];
    const declared = typeof purpose === 'string' ? purpose : undefined;
    // An expired or revoked token is refused as unknown ones are, with its own reason.
    const decision: Decision =
      found && 'refused' in found
        ? { allowed: false, status: 401, reason: found.refused }
        : authorize(grant, action, declared);
    if (!decision.allowed) {
      const holder = found && 'refused' in found ? found.stored : grant;
      await appendFirst(audit, {
        at: new Date().toISOString(),
        actor: holder?.name ?? 'anonymous',
        role: holder?.role ?? 'none',
        purpose: declared && isPurpose(declared) ? declared : 'none',
        action: 'access.denied',
        outcome: 'denied',
        details: {
          attempted: action,
          status: decision.status,
          ...(found && 'refused' in found
            ? { tokenId: found.stored.id, reason: found.refused }
            : {}),
        },
      });
      return reply.code(decision.status).send({ error: decision.reason });
    }
    request.grant = grant;
    request.purpose = declared;
  };
}

/**
 * Appends an audit record for an allowed request; call it before the action takes effect.
 * @throws AuditRefusedError (400) or AuditUnavailableError (503), see appendFirst.
 */
export function record(
  audit: AuditLog,
  request: FastifyRequest,
  action: AuditAction,
  outcome: 'allowed' | 'succeeded' | 'failed',
  subject?: string,
  details?: Record<string, string | number | boolean>,
) {
  return appendFirst(audit, {
    at: new Date().toISOString(),
    actor: request.grant?.name ?? 'anonymous',
    role: request.grant?.role ?? 'none',
    purpose: request.purpose ?? 'none',
    action,
    outcome,
    ...(subject ? { subject } : {}),
    ...(details ? { details } : {}),
  });
}

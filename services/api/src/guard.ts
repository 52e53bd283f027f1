import { type Action, type AuditAction, authorize, type TokenGrant } from '@lukema/core';
import type { AuditLog } from '@lukema/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
    const grant = token ? await tokens.grantFor(token) : undefined;
    const purpose = request.headers['x-lukema-purpose'];
    const declared = typeof purpose === 'string' ? purpose : undefined;
    const decision = authorize(grant, action, declared);
    if (!decision.allowed) {
      await audit.append({
        at: new Date().toISOString(),
        actor: grant?.name ?? 'anonymous',
        role: grant?.role ?? 'none',
        purpose:
          declared && decision.reason !== 'the declared purpose is unknown' ? declared : 'none',
        action: 'access.denied',
        outcome: 'denied',
        details: { attempted: action, status: decision.status },
      });
      return reply.code(decision.status).send({ error: decision.reason });
    }
    request.grant = grant;
    request.purpose = declared;
  };
}

/** Appends an audit record for an allowed request. */
export function record(
  audit: AuditLog,
  request: FastifyRequest,
  action: AuditAction,
  outcome: 'allowed' | 'succeeded' | 'failed',
  subject?: string,
  details?: Record<string, string | number | boolean>,
) {
  return audit.append({
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

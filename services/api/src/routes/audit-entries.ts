import {
  AUDIT_ACTIONS,
  type AuditAction,
  CUSTOMER_NUMBER_PATTERN,
  filterAuditRecords,
  TOKEN_NAME_PATTERN,
} from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';

interface EntriesQuery {
  customer?: string;
  actor?: string;
  action?: AuditAction;
  from?: string;
  to?: string;
  limit?: number;
}

const DETAIL_VALUE = { type: ['string', 'number', 'boolean'] } as const;

const ENTRY = {
  type: 'object',
  required: ['chain', 'seq', 'at', 'actor', 'role', 'purpose', 'action', 'outcome', 'hash'],
  properties: {
    chain: { type: 'string' },
    seq: { type: 'integer' },
    at: { type: 'string' },
    actor: { type: 'string' },
    role: { type: 'string' },
    purpose: { type: 'string' },
    action: { type: 'string' },
    subject: { type: 'string' },
    outcome: { type: 'string' },
    details: { type: 'object', additionalProperties: DETAIL_VALUE },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

/**
 * Reading the audit trail (DPO only, `audit.read`): every chain's entries, narrowed by
 * customer, actor, action and time range `[from, to)`, oldest first. Reading the trail is
 * itself recorded, before the entries are returned.
 */
export function auditEntryRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: EntriesQuery }>(
    '/v1/audit/entries',
    {
      preValidation: deps.can('audit.read'),
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            customer: { type: 'string', pattern: CUSTOMER_NUMBER_PATTERN },
            actor: {
              type: 'string',
              // Token names, and the service actors that write the registry's chain.
              anyOf: [{ pattern: TOKEN_NAME_PATTERN }, { enum: ['anonymous'] }],
            },
            action: { type: 'string', enum: [...AUDIT_ACTIONS] },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 1000 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['entries', 'total', 'truncated'],
            properties: {
              entries: { type: 'array', items: ENTRY },
              total: { type: 'integer' },
              truncated: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (request) => {
      const { customer, actor, action, from, to, limit = 1000 } = request.query;
      const matches = filterAuditRecords(await deps.auditChains(), {
        ...(customer ? { customer } : {}),
        ...(actor ? { actor } : {}),
        ...(action ? { action } : {}),
        ...(from ? { fromMs: Date.parse(from) } : {}),
        ...(to ? { toMs: Date.parse(to) } : {}),
      });
      const filter = Object.fromEntries(
        Object.entries({ actor, action, from, to }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>;
      await record(deps.audit, request, 'audit.read', 'succeeded', customer, {
        ...filter,
        entries: Math.min(matches.length, limit),
      });
      return {
        entries: matches.slice(-limit),
        total: matches.length,
        truncated: matches.length > limit,
      };
    },
  );
}

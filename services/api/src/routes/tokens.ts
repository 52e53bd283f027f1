import {
  PURPOSES,
  type Purpose,
  ROLES,
  type Role,
  TOKEN_ID_PATTERN,
  TOKEN_NAME_PATTERN,
} from '@lukema/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import type { TokenActor } from '../token-admin.js';

const ERROR = { type: 'object', properties: { error: { type: 'string' } } } as const;

const TOKEN_RECORD = {
  type: 'object',
  required: ['id', 'name', 'role', 'purposes', 'createdAt', 'expiresAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    purposes: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    expiresAt: { type: 'string' },
    revokedAt: { type: 'string' },
  },
} as const;

function actorOf(request: FastifyRequest): TokenActor {
  return {
    actor: request.grant?.name ?? 'anonymous',
    role: request.grant?.role ?? 'none',
    purpose: request.purpose ?? 'none',
  };
}

/**
 * API tokens: the DPO creates (`POST /v1/tokens`) and revokes (`DELETE /v1/tokens/:tokenId`)
 * them; both are audited before they take effect. The token is shown once, in the answer
 * to its creation; a token is referred to by its public id afterwards.
 */
export function tokenRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.post<{
    Body: { name: string; role: Role; purposes: Purpose[]; expiresInDays?: number };
  }>(
    '/v1/tokens',
    {
      preValidation: deps.can('token.create'),
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'role', 'purposes'],
          properties: {
            name: { type: 'string', pattern: TOKEN_NAME_PATTERN },
            role: { type: 'string', enum: [...ROLES] },
            purposes: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', enum: [...PURPOSES] },
            },
            expiresInDays: { type: 'integer', minimum: 1, maximum: 366 },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['token', 'record'],
            properties: { token: { type: 'string' }, record: TOKEN_RECORD },
          },
        },
      },
    },
    async (request, reply) => {
      const { name, role, purposes, expiresInDays } = request.body;
      const { token, stored } = await deps.tokens.issue(name, role, purposes, {
        by: actorOf(request),
        ...(expiresInDays ? { ttlMs: expiresInDays * 86_400_000 } : {}),
      });
      return reply.code(201).send({ token, record: stored });
    },
  );

  app.delete<{ Params: { tokenId: string } }>(
    '/v1/tokens/:tokenId',
    {
      preValidation: deps.can('token.revoke'),
      schema: {
        params: {
          type: 'object',
          required: ['tokenId'],
          properties: { tokenId: { type: 'string', pattern: TOKEN_ID_PATTERN } },
        },
        response: {
          200: {
            type: 'object',
            required: ['revoked'],
            properties: { revoked: { type: 'boolean' }, record: TOKEN_RECORD },
          },
          404: ERROR,
        },
      },
    },
    async (request, reply) => {
      const revoked = await deps.tokens.revoke(request.params.tokenId, actorOf(request));
      if (!revoked) return reply.code(404).send({ error: 'no token has that id' });
      return { revoked: true, record: revoked };
    },
  );
}

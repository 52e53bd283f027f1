import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';
import { errorResponses, GUARDED, noQuery } from './schemas.js';

/** A reason kind as the metrics and the console name it (`reasonLabel`): fixed words. */
const replayBody = {
  type: 'object',
  description: 'an object with the reason kind to replay',
  required: ['reason'],
  additionalProperties: false,
  properties: {
    reason: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9 _-]{0,47}$',
      description:
        'a reason kind as the operations page shows it (lower case, e.g. "unattributable")',
    },
  },
} as const;

const count = { type: 'integer', minimum: 0 } as const;

/**
 * `POST /v1/dead-letters/replay {"reason"}`: re-queues the readings' dead letters of one
 * reason kind, with the CLI's function (snapshot of the end offsets, each source at most
 * once, the replay group's progress). Recorded in the audit trail before it runs (the kind
 * only, never a payload or an identifier), and its outcome after. One replay at a time.
 */
export function deadLetterRoutes(app: FastifyInstance, deps: ApiDeps) {
  let running = false;
  app.post<{ Body: { reason: string } }>(
    '/v1/dead-letters/replay',
    {
      preValidation: deps.can('deadletters.replay'),
      schema: {
        querystring: noQuery,
        body: replayBody,
        response: {
          200: {
            type: 'object',
            required: ['reason', 'replayed', 'alreadyReplayed', 'kept'],
            additionalProperties: false,
            properties: {
              reason: { type: 'string' },
              replayed: count,
              alreadyReplayed: count,
              kept: count,
            },
          },
          ...errorResponses(...GUARDED, 409),
        },
      },
    },
    async (request, reply) => {
      if (running)
        return reply.code(409).send({ error: 'a replay is running; try again when it ends' });
      const reasonKind = request.body.reason;
      running = true;
      try {
        await record(deps.audit, request, 'deadletters.replay', 'allowed', undefined, {
          reasonKind,
        });
        let report: Awaited<ReturnType<ApiDeps['deadLetters']['replay']>>;
        try {
          report = await deps.deadLetters.replay(reasonKind);
        } catch (error) {
          await record(deps.audit, request, 'deadletters.replay', 'failed', undefined, {
            reasonKind,
          }).catch(() => undefined);
          throw error;
        }
        const counts = {
          replayed: report.replayed,
          alreadyReplayed: report.alreadyReplayed,
          kept: report.skipped,
        };
        await record(deps.audit, request, 'deadletters.replay', 'succeeded', undefined, {
          reasonKind,
          ...counts,
        });
        return { reason: reasonKind, ...counts };
      } finally {
        running = false;
      }
    },
  );
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConsoleDeps } from './console-deps.js';
import { type ApiAnswer, callApi, type DpoSessionOf, dpoForm } from './dpo-session.js';
import type { SessionStore } from './sessions.js';

const PURPOSE = 'access_request';
const REQUEST_ID = /^[0-9a-f]{32}$/;

/** One DPO step on an access request: a console form posted to the API's route for it. */
export interface RequestStep {
  /** The console's route, `/console/requests/:id/<verb>`. */
  readonly verb: string;
  readonly method: 'POST' | 'DELETE';
  /** The API's route, `/v1/access-requests/:id<path>`. */
  readonly path: string;
  /** The form field passed on as the API's body field of the same name, if any. */
  readonly field?: string;
  /** The notice after it, `/console?done=<done>`. */
  readonly done: string;
  /** The API's statuses that mean it was done. */
  readonly ok: readonly number[];
}

/**
 * The console's routes for `steps`, each through the API (audited there before it takes
 * effect); any other answer goes to `onError`.
 */
export function requestStepRoutes(
  app: FastifyInstance,
  deps: ConsoleDeps,
  sessions: SessionStore,
  steps: readonly RequestStep[],
  onError: (session: DpoSessionOf, reply: FastifyReply, answer: ApiAnswer) => unknown,
) {
  for (const { verb, method, path, field, done, ok } of steps) {
    app.post<{ Params: { id: string }; Body: Record<string, string> }>(
      `/console/requests/:id/${verb}`,
      async (request, reply) => {
        const session = dpoForm(sessions, request, reply);
        if (!session) return reply;
        if (!REQUEST_ID.test(request.params.id))
          return reply.code(404).send({ error: 'no such request' });
        const answer = await callApi(
          deps,
          session,
          method,
          `/v1/access-requests/${request.params.id}${path}`,
          PURPOSE,
          field ? { [field]: String(request.body?.[field] ?? '') } : undefined,
        );
        if (!ok.includes(answer.status)) return onError(session, reply, answer);
        return reply.code(303).header('location', `/console?done=${done}`).send();
      },
    );
  }
}

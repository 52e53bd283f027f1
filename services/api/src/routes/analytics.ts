import { type Purpose, periodLabel } from '@lukema/core';
import type { FastifyInstance } from 'fastify';
import { analyticsWindow } from '../analytics-window.js';
import type { ApiDeps } from '../api-deps.js';
import { type AreaDailyConsumption, dailyConsumptionByArea } from '../daily-consumption.js';
import { record } from '../guard.js';
import { queryErrorAnswer } from './query-errors.js';
import { errorResponses, GUARDED, instant } from './schemas.js';

const schema = {
  querystring: {
    type: 'object',
    required: ['from', 'to'],
    additionalProperties: false,
    properties: {
      from: instant,
      to: instant,
      area: {
        type: 'string',
        pattern: '^(?:[0-9]{3}xx|unknown)$',
        description: 'a postal-code area such as 001xx, or unknown',
      },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['series'],
      additionalProperties: false,
      properties: {
        series: {
          type: 'array',
          items: {
            type: 'object',
            required: ['pseudonym', 'area', 'day', 'kwh'],
            additionalProperties: false,
            properties: {
              pseudonym: { type: 'string' },
              area: { type: 'string' },
              day: { type: 'string' },
              kwh: { type: 'number' },
            },
          },
        },
      },
    },
    ...errorResponses(...GUARDED),
  },
} as const;

/**
 * Analysts' pseudonymized consumption: daily kWh per pseudonym in an area, days in Finnish
 * local time labelled by their start (`2026-11-28`). Only for purposes the rule table allows
 * per-pseudonym series (`analytics.series`: grid planning); others use the guarded aggregates. Identities are
 * never returned; for marketing and research purposes, customers who objected are left out.
 * Values reach the query only through the readings port, which checks them again.
 */
export function analyticsRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: { area?: string; from: string; to: string } }>(
    '/v1/analytics/daily-consumption',
    // Per-pseudonym series only for the purposes the rule table allows (grid planning).
    { preValidation: deps.can('analytics.series'), schema },
    async (request, reply) => {
      const { area, from, to } = request.query;
      const window = analyticsWindow(from, to);
      if ('problem' in window) return reply.code(400).send({ error: window.problem });
      let rows: AreaDailyConsumption[];
      try {
        rows = await dailyConsumptionByArea(deps.readings, deps.seriesAreas, deps.bucket, {
          ...window,
          area,
        });
      } catch (error) {
        const refusal = queryErrorAnswer(error);
        if (refusal) return reply.code(400).send(refusal);
        throw error;
      }
      const permitted = await deps.objections.permitted(
        request.purpose as Purpose,
        rows.map((r) => r.pseudonym),
      );
      const series = rows
        .filter((r) => permitted.has(r.pseudonym))
        .map((r) => ({ ...r, day: periodLabel(Date.parse(r.day), 'day') }));
      await record(deps.audit, request, 'analytics.series', 'succeeded', 'population', {
        rows: series.length,
        excluded: rows.length - series.length,
      });
      return { series };
    },
  );
}

import type { Purpose } from '@lukema/core';
import { fluxString } from '@lukema/platform';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.js';
import { record } from '../guard.js';

/**
 * Analysts' pseudonymized consumption: daily kWh per pseudonym in an area. Identities are
 * never returned; for marketing and research purposes, customers who objected are left out.
 */
export function analyticsRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: { area?: string; from?: string; to?: string } }>(
    '/v1/analytics/daily-consumption',
    { preHandler: deps.can('analytics.query') },
    async (request, reply) => {
      const { area, from, to } = request.query;
      if (!from || !to || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
        return reply.code(400).send({ error: 'from and to (ISO dates) are required' });
      }
      const areaFilter = area ? ` and r.area == "${fluxString(area)}"` : '';
      const rows = await deps.flux.rows<{
        pseudonym: string;
        area: string;
        _time: string;
        _value: number;
      }>(
        `from(bucket: "${fluxString(deps.bucket)}") |> range(start: ${new Date(from).toISOString()}, stop: ${new Date(to).toISOString()})
          |> filter(fn: (r) => r._measurement == "energy" and r._field == "kwh" and r.direction == "consumption"${areaFilter})
          |> group(columns: ["pseudonym", "area"])
          |> aggregateWindow(every: 1d, fn: sum, createEmpty: false)`,
      );
      const permitted = await deps.objections.permitted(
        request.purpose as Purpose,
        rows.map((r) => r.pseudonym),
      );
      const series = rows
        .filter((r) => permitted.has(r.pseudonym))
        .map((r) => ({ pseudonym: r.pseudonym, area: r.area, day: r._time, kwh: r._value }));
      await record(deps.audit, request, 'analytics.query', 'succeeded', 'population', {
        rows: series.length,
        excluded: rows.length - series.length,
      });
      return { series };
    },
  );
}

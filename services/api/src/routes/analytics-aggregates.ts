import { Readable } from 'node:stream';
import {
  type Granularity,
  type GuardedResult,
  groupId,
  groupsPerCustomer,
  guardedAggregates,
  guardedLoadProfile,
  NOISY_PURPOSES,
  type NoiseStatement,
  type NoisyGroup,
  OBJECTION_PURPOSES,
  offGrid,
  type Purpose,
  type ReleasedGroup,
  tokenIdOf,
} from '@lukema/core';
import type { PeriodQuery } from '@lukema/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { analyticsWindow } from '../analytics-window.js';
import type { ApiDeps } from '../api-deps.js';
import { areaGuarded } from '../area-aggregates.js';
import { record } from '../guard.js';
import { aggregatesCsv, statementHeaders } from './analytics-csv.js';
import { noisyRelease } from './analytics-privacy.js';
import { queryErrorAnswer } from './query-errors.js';
import { errorResponses, GUARDED, instant } from './schemas.js';

const commonQuery = {
  from: instant,
  to: instant,
  area: {
    type: 'string',
    pattern: '^(?:[0-9]{1,3}|[0-9]{3}xx|unknown)$',
    description: 'a postal-code area (001xx), a prefix of 1 to 3 digits (00), or unknown',
  },
  areaDigits: {
    type: 'integer',
    minimum: 1,
    maximum: 3,
    default: 3,
    description: 'the postal-code digits of the area groups: 3 (001xx), 2 (00xxx) or 1 (0xxxx)',
  },
  direction: {
    type: 'string',
    enum: ['consumption', 'production'],
    description: 'consumption or production',
  },
  commodity: {
    type: 'string',
    pattern: '^[a-z][a-z_-]{0,31}$',
    description: 'a commodity such as electricity',
  },
  format: { type: 'string', enum: ['json', 'csv'], default: 'json', description: 'json or csv' },
  percentiles: {
    type: 'boolean',
    default: false,
    description:
      "exact figures with the customers' 50th and 90th percentiles, from each customer's rollups (slower, bounded by LUKEMA_ANALYTICS_MAX_ROWS; not for market research)",
  },
} as const;

const group = {
  type: 'object',
  additionalProperties: false,
  properties: {
    period: { type: 'string' },
    area: { type: 'string' },
    commodity: { type: 'string' },
    direction: { type: 'string' },
    customers: { type: 'integer' },
    totalKwh: { type: 'number' },
    meanKwh: { type: 'number' },
    p50Kwh: { type: 'number' },
    p90Kwh: { type: 'number' },
    reason: { type: 'string' },
  },
} as const;

const answer = {
  200: {
    type: 'object',
    additionalProperties: false,
    properties: {
      purpose: { type: 'string' },
      zone: { type: 'string' },
      every: { type: 'string' },
      areaDigits: { type: 'integer' },
      rule: {
        type: 'object',
        additionalProperties: false,
        properties: {
          minGroupSize: { type: 'integer' },
          dominancePercent: { type: 'number' },
        },
      },
      groups: { type: 'array', items: group },
      withheld: { type: 'array', items: group },
      merge: {
        type: 'object',
        additionalProperties: false,
        properties: { areaDigits: { type: 'integer' }, advice: { type: 'string' } },
      },
      noise: {
        type: 'object',
        additionalProperties: false,
        properties: {
          mechanism: { type: 'string' },
          epsilon: { type: 'number' },
          epsilonPerGroup: { type: 'number' },
          clampKwh: { type: 'number' },
          sumScale: { type: 'number' },
          countAlpha: { type: 'number' },
        },
      },
      budget: {
        type: 'object',
        additionalProperties: false,
        properties: { spent: { type: 'number' }, total: { type: 'number' } },
      },
    },
  },
  ...errorResponses(...GUARDED),
} as const;

interface CommonQuery {
  from: string;
  to: string;
  area?: string;
  areaDigits: number;
  direction?: 'consumption' | 'production';
  commodity?: string;
  format: 'json' | 'csv';
  percentiles: boolean;
}

const REASONS = {
  'fewer-than-k-customers': 'withheldBelowK',
  'dominated-by-one-customer': 'withheldDominated',
  'complementary-suppression': 'withheldComplementary',
  'undecided-past-row-limit': 'withheldUndecided',
  'left-out-part-fails-rule': 'withheldLeftOutPart',
} as const;

/**
 * The query's parameters for the audit record (so differencing attempts can be spotted
 * afterwards): the window as instants once it parsed, the validated options; never an
 * identity, and nothing of a request whose parameters failed validation.
 */
function auditedParameters(
  q: CommonQuery & { every?: Granularity },
  kind: 'aggregates' | 'load-profile',
  window: { fromMs: number; toMs: number } | undefined,
): Record<string, string | number> {
  return {
    ...(window
      ? { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() }
      : {}),
    every: kind === 'load-profile' ? 'hour-of-day' : (q.every ?? 'day'),
    ...(q.area === undefined ? {} : { area: q.area }),
    areaDigits: q.areaDigits,
    ...(q.direction === undefined ? {} : { direction: q.direction }),
    ...(q.commodity === undefined ? {} : { commodity: q.commodity }),
    ...(q.percentiles ? { percentiles: 'yes' } : {}),
  };
}

/**
 * Guarded aggregates for analysts: totals, means and percentiles per area, commodity,
 * direction and Finnish local period, and the hourly load profile. No pseudonym leaves
 * here: groups below k distinct customers or dominated by one are withheld with the reason,
 * objectors are left out (values and k) through the ObjectionFilter, and every query is
 * audited with its group counts.
 */
export function analyticsAggregateRoutes(app: FastifyInstance, deps: ApiDeps) {
  const run = async (
    request: FastifyRequest<{ Querystring: CommonQuery & { every?: Granularity } }>,
    reply: FastifyReply,
    kind: 'aggregates' | 'load-profile',
  ) => {
    const q = request.query;
    const refuse = async (error: string, parameters: Record<string, string | number>) => {
      await record(deps.audit, request, 'analytics.query', 'failed', 'population', {
        query: kind,
        refused: error,
        ...parameters,
      });
      return reply.code(400).send({ error });
    };
    if (request.validationError) return refuse(request.validationError.message, {});
    const window = analyticsWindow(q.from, q.to);
    if ('problem' in window) return refuse(window.problem, auditedParameters(q, kind, undefined));
    const parameters = auditedParameters(q, kind, window);
    const granularity: Granularity = kind === 'load-profile' ? 'hour' : (q.every ?? 'day');
    // The load profile's cells pool the whole window: whole local months (see README).
    const grid = offGrid(
      window.fromMs,
      window.toMs,
      kind === 'load-profile' ? 'month' : granularity,
    );
    if (grid) return refuse(grid.problem, parameters);
    // A filter finer than the groups would label part of an area as the whole of it (and
    // judge that part by the whole area's customers).
    const areaPrefix = q.area?.replace(/x+$/, '');
    const filterDigits =
      areaPrefix === undefined || areaPrefix === 'unknown' ? 0 : areaPrefix.length;
    if (filterDigits > q.areaDigits) {
      return refuse(
        `area ${q.area} is finer than areaDigits=${q.areaDigits}: ask with areaDigits=${filterDigits}, or an area of at most ${q.areaDigits} digits`,
        parameters,
      );
    }
    const query: PeriodQuery = {
      ...window,
      granularity,
      ...(areaPrefix === undefined ? {} : { areaPrefix }),
      ...(q.direction === undefined ? {} : { direction: q.direction }),
      ...(q.commodity === undefined ? {} : { commodity: q.commodity }),
    };
    const purpose = request.purpose as Purpose;
    const noisy = NOISY_PURPOSES.has(purpose);
    if (q.percentiles && noisy) {
      return refuse(
        'market research gets noisy sums and counts, never percentiles: leave out percentiles',
        parameters,
      );
    }
    let result: GuardedResult;
    let excludedSeries: number;
    try {
      // The per-area rollups serve groups at every area level (coarser ones merged from
      // them); the noisy load profile (its clamp is per customer-hour mean) reads the series,
      // and so do percentiles, asked for: they need every customer's value.
      if (!q.percentiles && !(noisy && kind === 'load-profile')) {
        const area = await areaGuarded(deps, {
          kind,
          query,
          purpose,
          areaDigits: q.areaDigits,
          ...(noisy ? { clampKwh: deps.privacy.clampKwh } : {}),
        });
        result = area;
        excludedSeries = area.excludedSeries;
      } else {
        const rows = await deps.readings.periodContributions(deps.rollupBucket, query);
        const { owners, everyone } = await deps.objections.ownersAndEveryone(
          purpose,
          rows.map((r) => r.pseudonym),
        );
        const guard = (
          ownerOf: (p: string) => string | undefined,
          extra: {
            leftOutOf?: (p: string) => string | undefined;
            alsoWithheld?: ReadonlySet<string>;
          } = {},
        ) =>
          kind === 'load-profile'
            ? guardedLoadProfile(
                rows,
                ownerOf,
                { areaDigits: q.areaDigits, ...extra },
                deps.disclosure,
              )
            : guardedAggregates(
                rows,
                ownerOf,
                { granularity, areaDigits: q.areaDigits, ...extra },
                deps.disclosure,
              );
        if (!OBJECTION_PURPOSES.has(purpose)) result = guard((p) => owners.get(p));
        else {
          // What grid planning counts and this purpose leaves out (objectors, series nobody
          // owns): each group's left-out part must pass the rule as well (group-guard.ts).
          // And what grid planning withholds for the same parameters is withheld here too,
          // from the per-series rows and from the per-area rollups it reads when asked
          // without percentiles (the noisy load profile comes here, grid's does not): other
          // siblings released here would give its withheld groups away.
          const grid = guard((p) => everyone.get(p));
          const areaGrid = await areaGuarded(deps, {
            kind,
            query,
            purpose: 'grid_planning',
            areaDigits: q.areaDigits,
          });
          result = guard((p) => owners.get(p), {
            leftOutOf: (p) => (owners.has(p) ? undefined : everyone.get(p)),
            alsoWithheld: new Set([...grid.withheld, ...areaGrid.withheld].map((w) => groupId(w))),
          });
        }
        excludedSeries = new Set(rows.map((r) => r.pseudonym)).size - owners.size;
      }
    } catch (error) {
      const refusal = queryErrorAnswer(error);
      if (refusal) return refuse(refusal.error, parameters);
      throw error;
    }
    let released: ReadonlyArray<ReleasedGroup | NoisyGroup> = result.groups;
    let privacy: { noise: NoiseStatement; budget: { spent: number; total: number } } | undefined;
    if (noisy) {
      const header = request.headers.authorization ?? '';
      const release = await noisyRelease(
        deps.privacy,
        tokenIdOf(header.slice(7)),
        purpose,
        result,
        {
          groupsPerCustomer: groupsPerCustomer(
            [...result.groups, ...result.withheld],
            kind === 'load-profile',
            deps.privacy.areasPerCustomer,
          ),
        },
      );
      if ('refused' in release) {
        await record(deps.audit, request, 'analytics.query', 'failed', 'population', {
          query: kind,
          ...parameters,
          refused: 'privacy budget exhausted',
          epsilonSpent: release.spent,
        });
        return reply.code(403).send({ error: release.refused });
      }
      released = release.groups;
      privacy = { noise: release.noise, budget: release.budget };
    }
    const counts = {
      withheldBelowK: 0,
      withheldDominated: 0,
      withheldComplementary: 0,
      withheldUndecided: 0,
      withheldLeftOutPart: 0,
    };
    for (const w of result.withheld) counts[REASONS[w.reason]] += 1;
    await record(deps.audit, request, 'analytics.query', 'succeeded', 'population', {
      query: kind,
      ...parameters,
      groups: result.groups.length,
      ...counts,
      excludedSeries,
      ...(privacy ? { epsilon: privacy.noise.epsilon, epsilonSpent: privacy.budget.spent } : {}),
    });
    const statements = {
      rule: {
        minGroupSize: deps.disclosure.minGroupSize,
        dominancePercent: deps.disclosure.dominanceShare * 100,
      },
      ...(privacy ?? {}),
      ...(result.withheld.length > 0 && q.areaDigits > 1
        ? {
            merge: {
              areaDigits: q.areaDigits - 1,
              advice: `${result.withheld.length} groups were withheld; ask again with areaDigits=${q.areaDigits - 1} to merge areas into the coarser level`,
            },
          }
        : {}),
    };
    if (q.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="lukema-${kind}.csv"`)
        .headers(statementHeaders(statements))
        .send(Readable.from(aggregatesCsv({ groups: released, withheld: result.withheld })));
    }
    return {
      purpose: request.purpose,
      zone: 'Europe/Helsinki',
      every: kind === 'load-profile' ? 'hour-of-day' : granularity,
      areaDigits: q.areaDigits,
      groups: released,
      withheld: result.withheld,
      ...statements,
    };
  };

  app.get<{ Querystring: CommonQuery & { every: Granularity } }>(
    '/v1/analytics/aggregates',
    {
      preValidation: deps.can('analytics.query'),
      // A request failing the schema is answered (400) and audited by the handler.
      attachValidation: true,
      schema: {
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          additionalProperties: false,
          properties: {
            ...commonQuery,
            every: {
              type: 'string',
              enum: ['hour', 'day', 'month'],
              default: 'day',
              description: 'hour, day or month (Finnish local time)',
            },
          },
        },
        response: answer,
      },
    },
    (request, reply) => run(request, reply, 'aggregates'),
  );

  app.get<{ Querystring: CommonQuery }>(
    '/v1/analytics/load-profile',
    {
      preValidation: deps.can('analytics.query'),
      // A request failing the schema is answered (400) and audited by the handler.
      attachValidation: true,
      schema: {
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          additionalProperties: false,
          properties: commonQuery,
        },
        response: answer,
      },
    },
    (request, reply) => run(request, reply, 'load-profile'),
  );
}

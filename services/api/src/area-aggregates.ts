import {
  type AreaGroupFigures,
  areaVerdict,
  type CoarseAreaFigures,
  coarseAreaFigures,
  coarserArea,
  compareGroups,
  exactGroupVerdicts,
  type Granularity,
  type GroupKey,
  type GuardedResult,
  groupId,
  largestAbs,
  leftOutReason,
  loadProfileCell,
  nextPeriodStart,
  type Purpose,
  periodLabel,
  type ReleasedGroup,
  type SuppressionCell,
  suppressComplements,
  type WithheldGroup,
} from '@lukema/core';
import { type PeriodQuery, QueryTooLargeError } from '@lukema/platform';
import type { ApiDeps } from './api-deps.js';

/**
 * Guarded aggregates and the load profile from the per-area rollups (see area-guard.ts and
 * coarse-areas.ts in core for the bounds): the area figures come from InfluxDB already
 * grouped, merged into coarser areas here when `areaDigits` < 3; objectors' series (few)
 * are read and subtracted through the ObjectionFilter; groups the bounds do not decide are
 * computed exactly from the per-series rollups of their (coarse) area and periods only, or
 * withheld (`undecided-past-row-limit`) when that read would pass the row limit.
 */
export interface AreaQuery {
  readonly kind: 'aggregates' | 'load-profile';
  readonly query: PeriodQuery;
  readonly purpose: Purpose;
  /** The postal-code digits of the groups (3: the rollups' own areas; 2, 1: merged). */
  readonly areaDigits: number;
  /** The noisy release's clamp: a group whose largest customer may exceed it is computed exactly. */
  readonly clampKwh?: number;
}

type Deps = Pick<ApiDeps, 'readings' | 'objections' | 'rollupBucket' | 'disclosure'>;

const round = (v: number) => Math.round(v * 1e6) / 1e6;

interface Group {
  readonly key: GroupKey;
  readonly f: CoarseAreaFigures;
  kwh: number;
  customerWindows: number;
  readonly objectors: Set<string>;
  /** Each left-out customer's kWh in the group: as a group of its own, it must pass too. */
  readonly leftOut: Map<string, number>;
}

/** The area figures of the query's window, as InfluxDB groups them (read once per query). */
function readFigures(deps: Deps, q: AreaQuery) {
  return q.kind === 'load-profile'
    ? deps.readings.areaProfile(deps.rollupBucket, q.query)
    : deps.readings.areaPeriods(deps.rollupBucket, q.query);
}
type Figures = Awaited<ReturnType<typeof readFigures>>;

/** The groups' area figures, the objectors' subtracted. Also the series left out. */
async function areaGroups(
  deps: Deps,
  q: AreaQuery,
  figures: Figures,
  objectors: ReadonlyMap<string, string>,
) {
  const { query, kind } = q;
  const periodOf = (startMs: number) =>
    kind === 'load-profile' ? loadProfileCell(startMs) : periodLabel(startMs, query.granularity);
  const groups = new Map<string, Group>();
  for (const f of coarseAreaFigures(figures, q.areaDigits)) {
    const period = f.cell ?? periodOf(f.startMs ?? 0);
    const key = { area: f.area, commodity: f.commodity, direction: f.direction, period };
    groups.set(groupId(key), {
      key,
      f,
      kwh: f.kwh,
      customerWindows: f.customersSum,
      objectors: new Set(),
      leftOut: new Map(),
    });
  }
  let excludedSeries = 0;
  if (objectors.size > 0) {
    const granularity: Granularity = kind === 'load-profile' ? 'hour' : query.granularity;
    const rows = await deps.readings.periodContributions(deps.rollupBucket, {
      ...query,
      granularity,
      pseudonyms: [...objectors.keys()],
    });
    excludedSeries = new Set(rows.map((r) => r.pseudonym)).size;
    const windows = new Map<string, Set<string>>();
    for (const r of rows) {
      const area = coarserArea(r.area, q.areaDigits);
      const g = groups.get(groupId({ ...r, area, period: periodOf(r.startMs) }));
      if (!g) continue;
      g.kwh -= r.kwh;
      const owner = objectors.get(r.pseudonym) ?? r.pseudonym;
      g.objectors.add(owner);
      g.leftOut.set(owner, (g.leftOut.get(owner) ?? 0) + r.kwh);
      const seen = windows.get(groupId(g.key)) ?? new Set<string>();
      windows.set(groupId(g.key), seen);
      // An objector present in a window takes one customer-window off (for the mean).
      if (!seen.has(`${owner}|${r.startMs}`)) {
        seen.add(`${owner}|${r.startMs}`);
        g.customerWindows -= kind === 'load-profile' ? 1 : Math.max(1, g.f.windows);
      }
    }
  }
  return { groups, excludedSeries };
}

type ExactVerdict = ReturnType<typeof exactGroupVerdicts> extends Map<string, infer V> ? V : never;

/**
 * The exact verdicts of the undecided groups, from the per-series rollups of their (coarse)
 * areas, one area at a time and only over its undecided periods. Also the ids of groups
 * whose area's read passed the row limit (they are withheld).
 */
async function exactVerdicts(deps: Deps, q: AreaQuery, undecided: Group[]) {
  const { query, kind } = q;
  const granularity: Granularity = kind === 'load-profile' ? 'hour' : query.granularity;
  const out = new Map<string, ExactVerdict>();
  const tooLarge = new Set<string>();
  const byArea = new Map<string, Group[]>();
  for (const g of undecided) {
    const list = byArea.get(g.key.area);
    if (list) list.push(g);
    else byArea.set(g.key.area, [g]);
  }
  for (const [area, wanted] of byArea) {
    // Aggregates' groups are periods: read only from the first undecided one to the last.
    const starts = wanted.map((g) => g.f.startMs ?? Number.NaN);
    const narrow = kind === 'aggregates' && starts.every(Number.isFinite);
    // A year of hours is many periods: no spread into Math.min/max.
    const first = starts.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const last = starts.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
    const rows = await deps.readings
      .periodContributions(deps.rollupBucket, {
        ...query,
        granularity,
        areaPrefix: area.replace(/x+$/, ''),
        ...(narrow
          ? {
              fromMs: Math.max(query.fromMs, first),
              toMs: Math.min(query.toMs, nextPeriodStart(last, granularity)),
            }
          : {}),
      })
      .catch((error: unknown) => {
        if (error instanceof QueryTooLargeError) return undefined;
        throw error;
      });
    if (!rows) {
      for (const g of wanted) tooLarge.add(groupId(g.key));
      continue;
    }
    const owners = await deps.objections.owners(
      q.purpose,
      rows.map((r) => r.pseudonym),
    );
    const verdicts = exactGroupVerdicts(
      rows.map((r) => ({
        groupId: groupId({
          ...r,
          area: coarserArea(r.area, q.areaDigits),
          period:
            kind === 'load-profile'
              ? loadProfileCell(r.startMs)
              : periodLabel(r.startMs, granularity),
        }),
        pseudonym: r.pseudonym,
        kwh: r.kwh,
      })),
      (p) => owners.get(p),
      deps.disclosure,
    );
    for (const g of wanted) {
      const v = verdicts.get(groupId(g.key));
      if (v) out.set(groupId(g.key), v);
    }
  }
  return { exact: out, tooLarge };
}

/**
 * Guarded groups from the per-area rollups. Released figures: `customers` is the exact
 * count when the group is one window of one area (or was computed exactly), else its lower
 * bound (the largest per-window count of any of its child areas); aggregates' `totalKwh` is the group's kWh and `meanKwh` the kWh
 * per customer present on average per window; the load profile's `totalKwh` is the area's
 * mean kWh in an hour of the cell and `meanKwh` the mean kWh per customer-hour. No
 * percentiles (they need every customer's value). Complementary suppression applies as in
 * the per-series path (core's complementary.ts), the union judged by the same bounds.
 */
export async function areaGuarded(
  deps: Deps,
  q: AreaQuery,
): Promise<GuardedResult & { excludedSeries: number; exactGroups: number }> {
  const figures = await readFigures(deps, q);
  const objectors = await deps.objections.objectors(q.purpose);
  if (objectors.size === 0) return judgedAreaGroups(deps, q, figures, objectors);
  // Grid planning answers the same groups with the objectors in them and may choose other
  // siblings to withhold: whatever it withholds is withheld here too, or its released
  // siblings here would give its withheld ones (and with them the objectors' part) away.
  const { clampKwh: _clamp, ...rest } = q;
  const grid = await judgedAreaGroups(
    deps,
    { ...rest, purpose: 'grid_planning' },
    figures,
    new Map(),
  );
  return judgedAreaGroups(
    deps,
    q,
    figures,
    objectors,
    new Set(grid.withheld.map((w) => groupId(w))),
  );
}

async function judgedAreaGroups(
  deps: Deps,
  q: AreaQuery,
  figures: Figures,
  objectors: ReadonlyMap<string, string>,
  /** Groups another purpose's answer withholds: withheld here too (see `areaGuarded`). */
  alsoWithheld?: ReadonlySet<string>,
): Promise<GuardedResult & { excludedSeries: number; exactGroups: number }> {
  const { groups, excludedSeries } = await areaGroups(deps, q, figures, objectors);
  const decided = new Map<string, { released: boolean; reason?: WithheldGroup['reason'] }>();
  const undecided: Group[] = [];
  for (const [id, g] of groups) {
    const figures: AreaGroupFigures = {
      kwh: g.kwh,
      customersAtLeast: g.f.customersMax - g.objectors.size,
      topAtMost: g.f.topSum,
      // A coarse group of several child areas is never exact (counts and `top` do not add).
      exact: g.f.windows === 1 && g.f.childAreas === 1 && g.objectors.size === 0,
    };
    const v = areaVerdict(figures, deps.disclosure);
    const clampBinds = q.clampKwh !== undefined && g.f.topSum > q.clampKwh;
    if ('undecided' in v || (v.released && clampBinds)) undecided.push(g);
    else decided.set(id, v.released ? { released: true } : { released: false, reason: v.reason });
  }
  const { exact, tooLarge } =
    undecided.length > 0
      ? await exactVerdicts(deps, q, undecided)
      : { exact: new Map<string, ExactVerdict>(), tooLarge: new Set<string>() };
  const released: ReleasedGroup[] = [];
  const withheld: WithheldGroup[] = [];
  const customerValues = new Map<string, number[]>();
  const groupSums = new Map<string, { count: number; kwh: number }>();
  const suppression: SuppressionCell[] = [];
  for (const [id, g] of groups) {
    const e = exact.get(id);
    const own = tooLarge.has(id)
      ? { released: false, reason: 'undecided-past-row-limit' as const }
      : (e?.verdict ?? decided.get(id));
    // Grid planning answers the same group with the objectors in it: the difference would be
    // the left-out part, so that part must pass the rule too.
    const extra = own?.released
      ? leftOutReason(g.leftOut, alsoWithheld?.has(id) ?? false, deps.disclosure)
      : undefined;
    const verdict = extra ? { released: false, reason: extra } : own;
    suppression.push({
      key: g.key,
      withheld: !verdict?.released,
      kwh: g.kwh,
      customersAtLeast: e ? e.verdict.customers : g.f.customersMax - g.objectors.size,
      topAtMost: e ? largestAbs(e.values) : g.f.topSum,
      ...(g.leftOut.size > 0 ? { leftOut: { perCustomer: g.leftOut } } : {}),
    });
    if (!verdict?.released) {
      // An undecided group with no per-series rows left (all objectors) has no one to show.
      withheld.push({ ...g.key, reason: verdict?.reason ?? 'fewer-than-k-customers' });
      continue;
    }
    const customers = e ? e.verdict.customers : g.f.customersMax - g.objectors.size;
    const windows = Math.max(1, g.f.windows);
    const perWindow = Math.max(1, g.customerWindows) / windows;
    released.push({
      ...g.key,
      customers,
      totalKwh: round(q.kind === 'load-profile' ? g.kwh / windows : g.kwh),
      meanKwh: round(
        q.kind === 'load-profile'
          ? g.kwh / Math.max(1, g.customerWindows)
          : e
            ? g.kwh / Math.max(1, customers)
            : g.kwh / perWindow,
      ),
    });
    if (e) customerValues.set(id, e.values);
    else groupSums.set(id, { count: customers, kwh: g.kwh });
  }
  const result = suppressComplements(
    {
      groups: released.sort(compareGroups),
      withheld: withheld.sort(compareGroups),
      customerValues,
      groupSums,
    },
    suppression,
    deps.disclosure,
    // The load profile's cells pool the whole window: they have no time parent.
    { area: true, time: q.kind === 'aggregates' },
  );
  return { ...result, excludedSeries, exactGroups: undecided.length };
}

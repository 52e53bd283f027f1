import {
  type AreaGroupFigures,
  areaVerdict,
  compareGroups,
  exactGroupVerdicts,
  type Granularity,
  type GroupKey,
  type GuardedResult,
  loadProfileCell,
  type Purpose,
  periodLabel,
  type ReleasedGroup,
  type SuppressionCell,
  suppressComplements,
  type WithheldGroup,
} from '@lukema/core';
import type { AreaFigures, PeriodQuery } from '@lukema/platform';
import type { ApiDeps } from './api-deps.js';

/**
 * Guarded aggregates and the load profile from the per-area rollups (see area-guard.ts in
 * core for the bounds): the area figures come from InfluxDB already grouped; objectors'
 * series (few) are read and subtracted through the ObjectionFilter; groups the bounds do
 * not decide are computed exactly from the per-series rollups of their area only.
 */
export interface AreaQuery {
  readonly kind: 'aggregates' | 'load-profile';
  readonly query: PeriodQuery;
  readonly purpose: Purpose;
  /** The noisy release's clamp: a group whose largest customer may exceed it is computed exactly. */
  readonly clampKwh?: number;
}

type Deps = Pick<ApiDeps, 'readings' | 'objections' | 'rollupBucket' | 'disclosure'>;

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const idOf = (k: GroupKey) => `${k.area}|${k.commodity}|${k.direction}|${k.period}`;

interface Group {
  readonly key: GroupKey;
  readonly f: AreaFigures;
  kwh: number;
  customerWindows: number;
  readonly objectors: Set<string>;
}

/** The groups' area figures, the objectors' subtracted. Also the series left out. */
async function areaGroups(deps: Deps, q: AreaQuery) {
  const { query, kind } = q;
  const periodOf = (startMs: number) =>
    kind === 'load-profile' ? loadProfileCell(startMs) : periodLabel(startMs, query.granularity);
  const figures =
    kind === 'load-profile'
      ? await deps.readings.areaProfile(deps.rollupBucket, query)
      : await deps.readings.areaPeriods(deps.rollupBucket, query);
  const groups = new Map<string, Group>();
  for (const f of figures) {
    const period = f.cell ?? periodOf(f.startMs ?? 0);
    const key = { area: f.area, commodity: f.commodity, direction: f.direction, period };
    groups.set(idOf(key), {
      key,
      f,
      kwh: f.kwh,
      customerWindows: f.customersSum,
      objectors: new Set(),
    });
  }
  const objectors = await deps.objections.objectors(q.purpose);
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
      const g = groups.get(idOf({ ...r, period: periodOf(r.startMs) }));
      if (!g) continue;
      g.kwh -= r.kwh;
      const owner = objectors.get(r.pseudonym) ?? r.pseudonym;
      g.objectors.add(owner);
      const seen = windows.get(idOf(g.key)) ?? new Set<string>();
      windows.set(idOf(g.key), seen);
      // An objector present in a window takes one customer-window off (for the mean).
      if (!seen.has(`${owner}|${r.startMs}`)) {
        seen.add(`${owner}|${r.startMs}`);
        g.customerWindows -= kind === 'load-profile' ? 1 : Math.max(1, g.f.windows);
      }
    }
  }
  return { groups, excludedSeries };
}

/** The exact verdicts of the undecided groups, from the per-series rollups of their areas. */
async function exactVerdicts(deps: Deps, q: AreaQuery, undecided: Group[]) {
  const { query, kind } = q;
  const granularity: Granularity = kind === 'load-profile' ? 'hour' : query.granularity;
  const wanted = new Set(undecided.map((g) => idOf(g.key)));
  const out = new Map<
    string,
    ReturnType<typeof exactGroupVerdicts> extends Map<string, infer V> ? V : never
  >();
  for (const area of new Set(undecided.map((g) => g.key.area))) {
    const rows = await deps.readings.periodContributions(deps.rollupBucket, {
      ...query,
      granularity,
      areaPrefix: area.replace(/x+$/, ''),
    });
    const owners = await deps.objections.owners(
      q.purpose,
      rows.map((r) => r.pseudonym),
    );
    const verdicts = exactGroupVerdicts(
      rows.map((r) => ({
        groupId: idOf({
          ...r,
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
    for (const [id, v] of verdicts) if (wanted.has(id)) out.set(id, v);
  }
  return out;
}

/**
 * Guarded groups from the per-area rollups. Released figures: `customers` is the exact
 * count when the group is one window (or was computed exactly), else its lower bound (the
 * largest per-window count); aggregates' `totalKwh` is the group's kWh and `meanKwh` the kWh
 * per customer present on average per window; the load profile's `totalKwh` is the area's
 * mean kWh in an hour of the cell and `meanKwh` the mean kWh per customer-hour. No
 * percentiles (they need every customer's value). Complementary suppression applies as in
 * the per-series path (core's complementary.ts), the union judged by the same bounds.
 */
export async function areaGuarded(
  deps: Deps,
  q: AreaQuery,
): Promise<GuardedResult & { excludedSeries: number; exactGroups: number }> {
  const { groups, excludedSeries } = await areaGroups(deps, q);
  const decided = new Map<string, { released: boolean; reason?: WithheldGroup['reason'] }>();
  const undecided: Group[] = [];
  for (const [id, g] of groups) {
    const figures: AreaGroupFigures = {
      kwh: g.kwh,
      customersAtLeast: g.f.customersMax - g.objectors.size,
      topAtMost: g.f.topSum,
      exact: g.f.windows === 1 && g.objectors.size === 0,
    };
    const v = areaVerdict(figures, deps.disclosure);
    const clampBinds = q.clampKwh !== undefined && g.f.topSum > q.clampKwh;
    if ('undecided' in v || (v.released && clampBinds)) undecided.push(g);
    else decided.set(id, v.released ? { released: true } : { released: false, reason: v.reason });
  }
  const exact = undecided.length > 0 ? await exactVerdicts(deps, q, undecided) : new Map();
  const released: ReleasedGroup[] = [];
  const withheld: WithheldGroup[] = [];
  const customerValues = new Map<string, number[]>();
  const groupSums = new Map<string, { count: number; kwh: number }>();
  const suppression: SuppressionCell[] = [];
  for (const [id, g] of groups) {
    const e = exact.get(id);
    const verdict = e?.verdict ?? decided.get(id);
    suppression.push({
      key: g.key,
      withheld: !verdict?.released,
      kwh: g.kwh,
      customersAtLeast: e ? e.verdict.customers : g.f.customersMax - g.objectors.size,
      topAtMost: e ? Math.max(0, ...e.values.map(Math.abs)) : g.f.topSum,
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

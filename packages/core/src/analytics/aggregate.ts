import {
  complementarySuppression,
  type SuppressionCell,
  type SuppressionDimensions,
} from './complementary.js';
import {
  coarserArea,
  type DisclosureRule,
  type GroupVerdict,
  groupId,
  judgeGroup,
  largestAbs,
  leftOutReason,
  type WithheldReason,
} from './group-guard.js';
import { type Granularity, hourOfDay, periodLabel } from './helsinki-time.js';

/** One series' kWh in one local period, as the readings port returns it. */
export interface Contribution {
  readonly pseudonym: string;
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
  /** Start of the local period (epoch ms). */
  readonly startMs: number;
  readonly kwh: number;
}

export interface GroupKey {
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
  /** The local period's label (see `periodLabel`) or the load profile's cell. */
  readonly period: string;
}

/**
 * Groups in time order, then by area, commodity and direction. Hour labels carry their
 * offset, so they are ordered by the instant they name: the autumn change's 03:00+03:00
 * comes before its 03:00+02:00, which a comparison of the texts would swap.
 */
export function compareGroups(a: GroupKey, b: GroupKey): number {
  const byInstant =
    a.period.length > 10 && b.period.length > 10 && a.period[10] === 'T' && b.period[10] === 'T'
      ? Date.parse(a.period) - Date.parse(b.period)
      : 0;
  return (
    byInstant ||
    a.period.localeCompare(b.period) ||
    a.area.localeCompare(b.area) ||
    a.commodity.localeCompare(b.commodity) ||
    a.direction.localeCompare(b.direction)
  );
}

export interface ReleasedGroup extends GroupKey {
  readonly customers: number;
  readonly totalKwh: number;
  /** Mean kWh per customer. */
  readonly meanKwh: number;
  /** Percentiles of the customers' kWh (absent when read from the per-area rollups). */
  readonly p50Kwh?: number;
  readonly p90Kwh?: number;
}

export interface WithheldGroup extends GroupKey {
  readonly reason: WithheldReason;
}

export interface GuardedResult {
  readonly groups: ReleasedGroup[];
  readonly withheld: WithheldGroup[];
  /**
   * Each released group's customer values (kWh), keyed `area|commodity|direction|period`,
   * for the noisy release. Internal to the API: never returned.
   */
  readonly customerValues: ReadonlyMap<string, readonly number[]>;
  /**
   * For groups released from the per-area rollups (no per-customer values): the customer
   * count used and the kWh sum, given only when no customer's kWh in the group can exceed
   * the noisy release's clamp (so the clamped sum is the sum).
   */
  readonly groupSums?: ReadonlyMap<string, { readonly count: number; readonly kwh: number }>;
}

/** Linear-interpolation percentile (q in [0, 1]) of sorted values. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (at - lo);
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

interface Cell {
  readonly key: GroupKey;
  readonly perCustomer: Map<string, number>;
}

function cellsOf(
  contributions: Iterable<Contribution>,
  ownerOf: (pseudonym: string) => string | undefined,
  keyOf: (c: Contribution) => GroupKey,
  addTo: (c: Contribution, owner: string, cell: Cell) => void,
): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const c of contributions) {
    const owner = ownerOf(c.pseudonym);
    if (owner === undefined) continue;
    const key = keyOf(c);
    const id = groupId(key);
    let cell = cells.get(id);
    if (!cell) {
      cell = { key, perCustomer: new Map() };
      cells.set(id, cell);
    }
    addTo(c, owner, cell);
  }
  return cells;
}

/**
 * The result with complementary suppression applied (see complementary.ts): released groups
 * whose withholding protects a withheld sibling move to `withheld` with the reason
 * `complementary-suppression`, and their values leave the noisy release's inputs.
 */
export function suppressComplements(
  result: GuardedResult,
  cells: readonly SuppressionCell[],
  rule: DisclosureRule,
  dimensions: SuppressionDimensions,
): GuardedResult {
  const extra = complementarySuppression(cells, rule, dimensions);
  if (extra.length === 0) return result;
  const ids = new Set(extra.map(groupId));
  const customerValues = new Map(result.customerValues);
  const groupSums = result.groupSums && new Map(result.groupSums);
  for (const id of ids) {
    customerValues.delete(id);
    groupSums?.delete(id);
  }
  const added: WithheldGroup[] = extra.map((k) => ({
    period: k.period,
    area: k.area,
    commodity: k.commodity,
    direction: k.direction,
    reason: 'complementary-suppression',
  }));
  return {
    ...result,
    groups: result.groups.filter((g) => !ids.has(groupId(g))),
    withheld: [...result.withheld, ...added].sort(compareGroups),
    customerValues,
    ...(groupSums ? { groupSums } : {}),
  };
}

function judged(
  cells: Map<string, Cell>,
  rule: DisclosureRule,
  dimensions: SuppressionDimensions,
  /** The cells of the series the purpose leaves out (see `leftOutOf`). */
  leftOut?: Map<string, Cell>,
  /** Groups another purpose's answer withholds (see `alsoWithheld`). */
  alsoWithheld?: ReadonlySet<string>,
): GuardedResult {
  const groups: ReleasedGroup[] = [];
  const withheld: WithheldGroup[] = [];
  const customerValues = new Map<string, number[]>();
  const suppression: SuppressionCell[] = [];
  for (const [id, { key, perCustomer }] of cells) {
    const own = judgeGroup(perCustomer, rule);
    const left = leftOut?.get(id)?.perCustomer;
    const extra = own.released
      ? leftOutReason(left, alsoWithheld?.has(id) ?? false, rule)
      : undefined;
    const verdict: GroupVerdict = extra
      ? { released: false, customers: own.customers, reason: extra }
      : own;
    const values = [...perCustomer.values()].sort((a, b) => a - b);
    const total = values.reduce((s, v) => s + v, 0);
    suppression.push({
      key,
      withheld: !verdict.released,
      kwh: total,
      customersAtLeast: perCustomer.size,
      topAtMost: largestAbs(values),
      perCustomer,
      ...(left && left.size > 0 ? { leftOut: { perCustomer: left } } : {}),
    });
    if (!verdict.released) {
      withheld.push({ ...key, reason: verdict.reason });
      continue;
    }
    customerValues.set(id, values);
    groups.push({
      ...key,
      customers: verdict.customers,
      totalKwh: round(total),
      meanKwh: round(total / values.length),
      p50Kwh: round(percentile(values, 0.5)),
      p90Kwh: round(percentile(values, 0.9)),
    });
  }
  // A group everyone in it left out (all objectors) has no cell of this purpose, but a
  // purpose that counts them answers it: withheld (no one to show), with its left-out part,
  // so that complementary suppression protects it as the per-area path does.
  for (const [id, { key, perCustomer: left }] of leftOut ?? []) {
    if (cells.has(id) || left.size === 0) continue;
    suppression.push({
      key,
      withheld: true,
      kwh: 0,
      customersAtLeast: 0,
      topAtMost: 0,
      perCustomer: new Map(),
      leftOut: { perCustomer: left },
    });
    withheld.push({ ...key, reason: 'fewer-than-k-customers' });
  }
  return suppressComplements(
    {
      groups: groups.sort(compareGroups),
      withheld: withheld.sort(compareGroups),
      customerValues,
    },
    suppression,
    rule,
    dimensions,
  );
}

/**
 * Totals, means and percentiles per area (at `areaDigits` postal-code digits), commodity,
 * direction and local period, over the series `ownerOf` resolves (the objection filter's
 * verdict: a series it leaves out counts neither in the values nor in k). Groups failing
 * the rule are withheld with the reason, and released siblings where a withheld group could
 * be had by subtraction (complementary suppression, along areas and local periods).
 */
export function guardedAggregates(
  contributions: readonly Contribution[],
  ownerOf: (pseudonym: string) => string | undefined,
  options: {
    readonly granularity: Granularity;
    readonly areaDigits: number;
    /**
     * The owner of a series the purpose leaves out but another purpose counts (objectors,
     * series nobody owns): a released group whose left-out part fails the rule is withheld
     * (`left-out-part-fails-rule`), since the two answers' difference would be that part.
     */
    readonly leftOutOf?: (pseudonym: string) => string | undefined;
    /**
     * Group ids (`groupId`) a purpose that counts the left-out series withholds in the same
     * query (its own rule and complementary suppression): withheld here too, since its
     * released groups and these would otherwise give its withheld ones away.
     */
    readonly alsoWithheld?: ReadonlySet<string>;
  },
  rule: DisclosureRule,
): GuardedResult {
  const build = (owners: (pseudonym: string) => string | undefined) =>
    cellsOf(
      contributions,
      owners,
      (c) => ({
        area: coarserArea(c.area, options.areaDigits),
        commodity: c.commodity,
        direction: c.direction,
        period: periodLabel(c.startMs, options.granularity),
      }),
      (c, owner, cell) => cell.perCustomer.set(owner, (cell.perCustomer.get(owner) ?? 0) + c.kwh),
    );
  const leftOut = options.leftOutOf ? build(options.leftOutOf) : undefined;
  return judged(build(ownerOf), rule, { area: true, time: true }, leftOut, options.alsoWithheld);
}

/**
 * The hourly load profile: per area, commodity, direction and cell `weekday-HH` or
 * `weekend-HH` (local hour), each customer's mean hourly kWh in that cell, then the
 * customers' total, mean and percentiles under the same rule. Takes hourly contributions.
 */
export function guardedLoadProfile(
  contributions: readonly Contribution[],
  ownerOf: (pseudonym: string) => string | undefined,
  options: {
    readonly areaDigits: number;
    /** As for `guardedAggregates`: the left-out part of a group must pass the rule too. */
    readonly leftOutOf?: (pseudonym: string) => string | undefined;
    /** As for `guardedAggregates`. */
    readonly alsoWithheld?: ReadonlySet<string>;
  },
  rule: DisclosureRule,
): GuardedResult {
  const leftOut = options.leftOutOf
    ? profileCells(contributions, options.leftOutOf, options.areaDigits)
    : undefined;
  const cells = profileCells(contributions, ownerOf, options.areaDigits);
  // Its cells pool the whole window: no time parent inside one answer.
  return judged(cells, rule, { area: true, time: false }, leftOut, options.alsoWithheld);
}

/** The load profile's cells: each customer's mean hourly kWh in each cell. */
function profileCells(
  contributions: readonly Contribution[],
  ownerOf: (pseudonym: string) => string | undefined,
  areaDigits: number,
): Map<string, Cell> {
  // Sum and count per customer and cell first (a customer with two series sums them per hour).
  const hours = new Map<string, Map<string, Map<number, number>>>();
  const cells = cellsOf(
    contributions,
    ownerOf,
    (c) => {
      const { hour, weekend } = hourOfDay(c.startMs);
      return {
        area: coarserArea(c.area, areaDigits),
        commodity: c.commodity,
        direction: c.direction,
        period: `${weekend ? 'weekend' : 'weekday'}-${String(hour).padStart(2, '0')}`,
      };
    },
    (c, owner, cell) => {
      const id = groupId(cell.key);
      const byOwner = hours.get(id) ?? new Map<string, Map<number, number>>();
      hours.set(id, byOwner);
      const byHour = byOwner.get(owner) ?? new Map<number, number>();
      byOwner.set(owner, byHour);
      byHour.set(c.startMs, (byHour.get(c.startMs) ?? 0) + c.kwh);
      cell.perCustomer.set(owner, 0);
    },
  );
  for (const [id, cell] of cells) {
    for (const [owner, byHour] of hours.get(id) ?? []) {
      let sum = 0;
      for (const v of byHour.values()) sum += v;
      cell.perCustomer.set(owner, sum / byHour.size);
    }
  }
  return cells;
}

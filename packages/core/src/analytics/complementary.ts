import type { GroupKey } from './aggregate.js';
import { type DisclosureRule, groupId, judgeGroup, leftOutPartPasses } from './group-guard.js';

/**
 * Complementary (secondary) suppression inside one answer. Withholding a group is not
 * enough when its parent's total can be had elsewhere: the 2-digit total `00xxx` minus the
 * released `001xx` and `004xx` gives a withheld `002xx` exactly, and a month minus its
 * released days gives the withheld days. So for every parent cell (same commodity and
 * direction; along areas every shorter prefix in the same period, along time the local
 * day and month of an hour, the month of a day, in the same area), when some but not all of its descendants in the answer are withheld, the
 * union of the withheld ones must itself pass the rule, or the released one with the
 * smallest total is withheld too. Repeated along both dimensions until nothing changes.
 * For a purpose that leaves customers out (objectors), the union's left-out part must pass
 * as well: another purpose's answer of the same cells would give it by subtraction.
 *
 * The union is judged in the safe direction: customers by a lower bound (the largest
 * child's count, or the exact distinct count when every withheld child has per-customer
 * values), the largest customer by an upper bound (the sum of the children's largest, or
 * the exact figure from per-customer values) against the exact summed kWh.
 */
export interface SuppressionCell {
  readonly key: GroupKey;
  readonly withheld: boolean;
  /** The group's kWh (exact). */
  readonly kwh: number;
  /** Distinct customers in the group: exact, or a lower bound. */
  readonly customersAtLeast: number;
  /** The largest customer's kWh in the group: exact, or an upper bound. */
  readonly topAtMost: number;
  /** Each customer's kWh in the group, when known: the union is then judged exactly. */
  readonly perCustomer?: ReadonlyMap<string, number>;
  /**
   * The part of the group its purpose leaves out (objectors, for marketing and market
   * research; exact figures): a purpose that counts them answers the same cells, so the
   * withheld union's left-out part must pass the rule as well (see `leftOutPartPasses`).
   */
  readonly leftOut?: LeftOutPart;
}

/** Each left-out customer's kWh in a group. */
export interface LeftOutPart {
  readonly perCustomer: ReadonlyMap<string, number>;
}

/** The dimensions along which a cell has a parent (the load profile's cells have no time parent). */
export interface SuppressionDimensions {
  readonly area: boolean;
  readonly time: boolean;
}

/** The area one postal-code digit shorter (`001xx` → `00xxx` → `0xxxx`), none above 1 digit. */
export function parentArea(area: string): string | undefined {
  const m = /^(\d+)x*$/.exec(area);
  if (!m || area.length !== 5) return undefined;
  const digits = m[1]?.length ?? 0;
  if (digits < 2) return undefined;
  return area.slice(0, digits - 1) + 'x'.repeat(6 - digits);
}

/** The local period holding a period label: hour → day, day → month, month → year. */
export function parentPeriod(period: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}T/.test(period)) return period.slice(0, 10);
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return period.slice(0, 7);
  if (/^\d{4}-\d{2}$/.test(period)) return period.slice(0, 4);
  return undefined;
}

/** The parent, its parent and so on, nearest first. */
function lineage(of: string, parentOf: (x: string) => string | undefined): string[] {
  const out: string[] = [];
  for (let p = parentOf(of); p !== undefined; p = parentOf(p)) out.push(p);
  return out;
}

/** Each customer's kWh summed over several groups' per-customer maps. */
function merged(maps: Iterable<ReadonlyMap<string, number> | undefined>): Map<string, number> {
  const out = new Map<string, number>();
  for (const map of maps) {
    for (const [owner, v] of map ?? []) out.set(owner, (out.get(owner) ?? 0) + v);
  }
  return out;
}

/** Whether the union of withheld cells passes the rule (bounds, or exact when all are known). */
function unionPasses(cells: readonly SuppressionCell[], rule: DisclosureRule): boolean {
  if (cells.every((c) => c.perCustomer)) {
    return judgeGroup(merged(cells.map((c) => c.perCustomer)), rule).released;
  }
  const customers = cells.reduce((m, c) => Math.max(m, c.customersAtLeast), 0);
  if (customers < rule.minGroupSize) return false;
  const total = Math.abs(cells.reduce((s, c) => s + c.kwh, 0));
  const top = cells.reduce((s, c) => s + Math.abs(c.topAtMost), 0);
  return !(total > 0 && top > rule.dominanceShare * total);
}

/**
 * Whether the withheld cells' left-out parts, together, pass the rule (or there are none):
 * the union's total in a purpose that counts them, minus the union's total here, is theirs.
 */
function leftOutUnionPasses(cells: readonly SuppressionCell[], rule: DisclosureRule): boolean {
  return leftOutPartPasses(merged(cells.map((c) => c.leftOut?.perCustomer)), rule);
}

/**
 * The keys of released cells that must also be withheld (reason `complementary-suppression`)
 * so that no parent cell's withheld children can be had by subtraction, in the order decided.
 */
export function complementarySuppression(
  cells: readonly SuppressionCell[],
  rule: DisclosureRule,
  dimensions: SuppressionDimensions = { area: true, time: true },
): GroupKey[] {
  const withheld = new Set(cells.filter((c) => c.withheld).map((c) => groupId(c.key)));
  const added: GroupKey[] = [];
  // Every ancestor, not only the parent: `0xxxx` minus the released `001xx` and `002xx`
  // gives `011xx`, the only child of `01xxx`, though no parent family saw it with siblings.
  const ancestors: Array<(k: GroupKey) => string[]> = [];
  if (dimensions.area) {
    ancestors.push((k) =>
      lineage(k.area, parentArea).map((p) => `a|${p}|${k.commodity}|${k.direction}|${k.period}`),
    );
  }
  if (dimensions.time) {
    // No year: no answer has a year group, and a sum of released months minus released
    // days is a union of months' withheld days, each of which passes.
    ancestors.push((k) =>
      lineage(k.period, parentPeriod)
        .filter((p) => !/^\d{4}$/.test(p))
        .map((p) => `t|${k.area}|${k.commodity}|${k.direction}|${p}`),
    );
  }
  const byAncestor = new Map<string, SuppressionCell[]>();
  for (const c of cells) {
    for (const ancestorsOf of ancestors) {
      for (const ancestor of ancestorsOf(c.key)) {
        const family = byAncestor.get(ancestor) ?? [];
        family.push(c);
        byAncestor.set(ancestor, family);
      }
    }
  }
  const families = [...byAncestor.values()].filter((f) => f.length > 1);
  for (let changed = true; changed; ) {
    changed = false;
    for (const family of families) {
      const hidden = family.filter((c) => withheld.has(groupId(c.key)));
      const shown = family.filter((c) => !withheld.has(groupId(c.key)));
      if (
        hidden.length === 0 ||
        shown.length === 0 ||
        (unionPasses(hidden, rule) && leftOutUnionPasses(hidden, rule))
      )
        continue;
      // The smallest released sibling (ties: the first id) costs the least to withhold.
      const [smallest] = [...shown].sort(
        (a, b) => Math.abs(a.kwh) - Math.abs(b.kwh) || groupId(a.key).localeCompare(groupId(b.key)),
      );
      if (!smallest) continue;
      withheld.add(groupId(smallest.key));
      added.push(smallest.key);
      changed = true;
    }
  }
  return added;
}

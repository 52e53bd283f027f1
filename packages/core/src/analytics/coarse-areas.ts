import { coarserArea } from './group-guard.js';

/**
 * Coarser area levels (`areaDigits` 2 or 1: `00xxx`, `0xxxx`) from the per-area rollups,
 * which are kept per 3-digit area. A coarse group (coarse area, commodity, direction and
 * period or load-profile cell) merges its child areas' figures, with the same bounds in the
 * safe direction as a group spanning several windows (area-guard.ts):
 * - kWh (and `top`, the customer-windows) add up exactly over the child areas;
 * - distinct customers do not: a customer may have sites in two sub-areas and is counted
 *   in both, so the coarse group has at least the largest child's per-window count
 *   (`customersMax`), not their sum;
 * - the largest customer's kWh is at most the sum over child areas (and windows) of `top`.
 * A coarse group of one child area is that child's group, exact where it was exact.
 */
export interface AreaFigureSums {
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
  /** The period's start (aggregates) or the load-profile cell. */
  readonly startMs?: number;
  readonly cell?: string;
  readonly kwh: number;
  /** Sum over the windows of the largest customer's kWh. */
  readonly topSum: number;
  /** Sum over the windows of their distinct customers. */
  readonly customersSum: number;
  /** The largest per-window distinct customers. */
  readonly customersMax: number;
  /** How many windows hold data. */
  readonly windows: number;
}

/** A coarse group's figures and how many child areas it merges (1: exact as the child). */
export type CoarseAreaFigures = AreaFigureSums & { readonly childAreas: number };

/**
 * Merges per-area figures into groups at `areaDigits` postal-code digits (3 keeps them, each
 * its own child). `windows` is the most any child holds (the children's windows are the same
 * hours or days of the period, not more of them). Never throws.
 */
export function coarseAreaFigures(
  figures: Iterable<AreaFigureSums>,
  areaDigits: number,
): CoarseAreaFigures[] {
  const out = new Map<string, CoarseAreaFigures>();
  for (const f of figures) {
    const area = coarserArea(f.area, areaDigits);
    const at = f.cell ?? String(f.startMs ?? '');
    const key = `${area}|${f.commodity}|${f.direction}|${at}`;
    const g = out.get(key);
    out.set(
      key,
      g
        ? {
            ...g,
            kwh: g.kwh + f.kwh,
            topSum: g.topSum + f.topSum,
            customersSum: g.customersSum + f.customersSum,
            customersMax: Math.max(g.customersMax, f.customersMax),
            windows: Math.max(g.windows, f.windows),
            childAreas: g.childAreas + 1,
          }
        : { ...f, area, childAreas: 1 },
    );
  }
  return [...out.values()];
}

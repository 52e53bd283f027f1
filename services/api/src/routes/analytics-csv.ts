import type { GroupKey, WithheldGroup } from '@lukema/core';

interface CsvGroup extends GroupKey {
  readonly customers: number;
  readonly totalKwh: number;
  readonly meanKwh: number;
  /** Absent in a noisy release (market research). */
  readonly p50Kwh?: number;
  readonly p90Kwh?: number;
}

const HEADER =
  'period,area,commodity,direction,customers,total_kwh,mean_kwh,p50_kwh,p90_kwh,withheld\n';

/** The guarded result as CSV lines, released groups then withheld ones (with the reason). */
export function* aggregatesCsv(result: {
  readonly groups: readonly CsvGroup[];
  readonly withheld: readonly WithheldGroup[];
}): Generator<string> {
  yield HEADER;
  for (const g of result.groups) {
    yield `${g.period},${g.area},${g.commodity},${g.direction},${g.customers},${g.totalKwh},${g.meanKwh},${g.p50Kwh ?? ''},${g.p90Kwh ?? ''},\n`;
  }
  for (const w of result.withheld) {
    yield `${w.period},${w.area},${w.commodity},${w.direction},,,,,,${w.reason}\n`;
  }
}

/** The statements a JSON answer carries beside its groups. */
export interface AnswerStatements {
  readonly rule: { readonly minGroupSize: number; readonly dominancePercent: number };
  readonly noise?: object;
  readonly budget?: { readonly spent: number; readonly total: number };
  readonly merge?: { readonly areaDigits: number; readonly advice: string };
}

/**
 * A CSV answer's statements as response headers (one JSON object each), so the CSV itself
 * stays a plain table any parser reads: `x-lukema-rule` always, `x-lukema-noise` and
 * `x-lukema-budget` for a noisy release, `x-lukema-merge` when groups were withheld.
 */
export function statementHeaders(s: AnswerStatements): Record<string, string> {
  return {
    'x-lukema-rule': JSON.stringify(s.rule),
    ...(s.noise ? { 'x-lukema-noise': JSON.stringify(s.noise) } : {}),
    ...(s.budget ? { 'x-lukema-budget': JSON.stringify(s.budget) } : {}),
    ...(s.merge ? { 'x-lukema-merge': JSON.stringify(s.merge) } : {}),
  };
}

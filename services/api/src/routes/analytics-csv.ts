import type { GuardedResult } from '@lukema/core';

const HEADER =
  'period,area,commodity,direction,customers,total_kwh,mean_kwh,p50_kwh,p90_kwh,withheld\n';

/** The guarded result as CSV lines, released groups then withheld ones (with the reason). */
export function* aggregatesCsv(result: GuardedResult): Generator<string> {
  yield HEADER;
  for (const g of result.groups) {
    yield `${g.period},${g.area},${g.commodity},${g.direction},${g.customers},${g.totalKwh},${g.meanKwh},${g.p50Kwh},${g.p90Kwh},\n`;
  }
  for (const w of result.withheld) {
    yield `${w.period},${w.area},${w.commodity},${w.direction},,,,,,${w.reason}\n`;
  }
}

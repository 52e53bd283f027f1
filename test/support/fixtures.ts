import type { IntervalBatch } from '@lukema/core';

/** A 6-hour consumption push of 24 quarter-hours starting at `startMs`, values base + i Wh. */
export function quarterHourPush(
  meteringPointId: string,
  startMs: number,
  baseWh: number,
): IntervalBatch {
  return {
    messageId: `m-${meteringPointId}-${startMs}`,
    headEndId: 'he',
    meteringPointId,
    direction: 'consumption',
    resolution: 'PT15M',
    sentAtMs: startMs + 6 * 3_600_000,
    intervals: Array.from({ length: 24 }, (_, i) => ({
      startMs: startMs + i * 900_000,
      quantityWh: baseWh + i,
      flags: [],
    })),
  };
}

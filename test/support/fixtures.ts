import type { ContractEvent, IntervalBatch } from '@lukema/core';

const QUARTER_MS = 900_000;

/** A consumption push of quarter-hour values (Wh) from `firstStartMs`, sent at its end. */
export function consumptionPush(
  meteringPointId: string,
  firstStartMs: number,
  valuesWh: readonly number[],
): IntervalBatch {
  return {
    messageId: `m-${meteringPointId}-${firstStartMs}`,
    headEndId: 'he',
    meteringPointId,
    direction: 'consumption',
    resolution: 'PT15M',
    sentAtMs: firstStartMs + valuesWh.length * QUARTER_MS,
    intervals: valuesWh.map((quantityWh, i) => ({
      startMs: firstStartMs + i * QUARTER_MS,
      quantityWh,
      flags: [],
    })),
  };
}

/** A 6-hour consumption push of 24 quarter-hours starting at `startMs`, values base + i Wh. */
export function quarterHourPush(
  meteringPointId: string,
  startMs: number,
  baseWh: number,
): IntervalBatch {
  return consumptionPush(
    meteringPointId,
    startMs,
    Array.from({ length: 24 }, (_, i) => baseWh + i),
  );
}

/** An open-ended contract `K-<metering point>` of one customer covering one metering point. */
export function openContract(
  meteringPointId: string,
  customerId: string,
  startDate = '2025-01-01',
): ContractEvent {
  return {
    contractId: `K-${meteringPointId}`,
    customerId,
    siteId: `SITE-${meteringPointId}`,
    postalCode: '00100',
    meteringPointIds: [meteringPointId],
    startDate,
    endDate: null,
    status: 'active',
    updatedAt: `${startDate}T00:00:00Z`,
  };
}

/**
 * A preliminary consumption push `messageId` of `quarters` quarter-hours (100 + i Wh) from
 * `hour` hours after `windowMs`, sent six hours after that hour began.
 */
export function preliminaryPush(
  meteringPointId: string,
  messageId: string,
  windowMs: number,
  hour: number,
  quarters: number,
): IntervalBatch {
  const startMs = windowMs + hour * 3_600_000;
  return {
    ...consumptionPush(
      meteringPointId,
      startMs,
      Array.from({ length: quarters }, (_, i) => 100 + i),
    ),
    messageId,
    sentAtMs: startMs + 6 * 3_600_000,
    dataStatus: 'preliminary',
  };
}

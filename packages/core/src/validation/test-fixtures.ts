/**
 * Shared test data for the validation tests (not exported from the package): a fixed UTC
 * day on both grids, and a batch builder with harmless defaults.
 */
import type { IntervalBatch, IntervalValue, Resolution } from '../reading.js';
import { type BatchValidation, validateBatch } from './validate-batch.js';

export const MIN = 60 * 1000;
export const Q = 15 * MIN;
export const H = 60 * MIN;
export const T0 = Date.UTC(2026, 0, 1);
export const NOW = T0 + 24 * H;

export function iv(
  startMs: number,
  quantityWh: number | null,
  flags: IntervalValue['flags'] = [],
): IntervalValue {
  return { startMs, quantityWh, flags };
}

export function batch(
  intervals: IntervalValue[],
  over: Partial<IntervalBatch> = {},
): IntervalBatch {
  return {
    messageId: 'm-1',
    headEndId: 'he-1',
    meteringPointId: '643007574000138589',
    direction: 'consumption',
    resolution: 'PT15M',
    sentAtMs: NOW,
    intervals,
    ...over,
  };
}

export function run(values: IntervalValue[], resolution: Resolution = 'PT15M'): BatchValidation {
  return validateBatch(batch(values, { resolution }), { nowMs: NOW });
}

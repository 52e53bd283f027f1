import type { IntervalBatch } from '@lukema/core';
import type { Random } from './random.js';

/** Kinds of bad data a real head-end sends now and then. */
export const FAULT_KINDS = [
  'garbage',
  'bad-gsrn',
  'negative',
  'off-grid',
  'missing',
  'spike',
  'future',
  'duplicate',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that make a whole message unusable (dead-lettered); the rest are flagged. */
export const POISON_FAULTS: ReadonlySet<FaultKind> = new Set(['garbage', 'bad-gsrn']);

export function pickFault(rnd: Random): FaultKind {
  return FAULT_KINDS[Math.floor(rnd() * FAULT_KINDS.length)] ?? 'garbage';
}

/** Applies a data fault to a batch (the byte-level 'garbage' fault is applied when encoding). */
export function applyFault(batch: IntervalBatch, fault: FaultKind, rnd: Random): IntervalBatch {
  const intervals = [...batch.intervals];
  const at = Math.floor(rnd() * intervals.length);
  const target = intervals[at];
  if (!target) return batch;
  switch (fault) {
    case 'bad-gsrn': {
      const last = Number(batch.meteringPointId.slice(-1));
      return {
        ...batch,
        meteringPointId: batch.meteringPointId.slice(0, 17) + String((last + 1) % 10),
      };
    }
    case 'negative':
      intervals[at] = { ...target, quantityWh: -Math.abs(target.quantityWh ?? 100) - 1 };
      break;
    case 'off-grid':
      intervals[at] = { ...target, startMs: target.startMs + 7 * 60_000 };
      break;
    case 'missing':
      intervals[at] = { ...target, quantityWh: null, flags: ['MISSING'] };
      break;
    case 'spike':
      intervals[at] = { ...target, quantityWh: (target.quantityWh ?? 0) * 40 + 50_000 };
      break;
    case 'future':
      intervals[at] = { ...target, startMs: target.startMs + 400 * 24 * 3_600_000 };
      break;
    case 'duplicate':
      intervals.push({ ...target });
      break;
    case 'garbage':
      return batch;
  }
  return { ...batch, intervals };
}

import {
  type ContractEvent,
  contractPseudonym,
  helsinkiDayStartUtc,
  type IntervalBatch,
  unwrapCustomerKey,
  type WrappedCustomerKey,
} from '@lukema/core';
import { POISON_FAULTS, type SimulatedMessage } from '@lukema/headend-sim';
import { MeterMessageCodec } from '@lukema/schemas';

export interface ExpectedPoint {
  readonly contractId: string;
  readonly meteringPointId: string;
  readonly direction: string;
  readonly timeMs: number;
  readonly quantityWh: number | null;
}

const codec = new MeterMessageCodec();

/** The contract an occupant had at `t`, straight from the customer system's dates. */
export function ownerAt(
  contracts: readonly ContractEvent[],
  mp: string,
  t: number,
): ContractEvent | undefined {
  return contracts.find(
    (c) =>
      c.status === 'active' &&
      c.meteringPointIds.includes(mp) &&
      helsinkiDayStartUtc(c.startDate) <= t &&
      (c.endDate === null || t < helsinkiDayStartUtc(c.endDate)),
  );
}

/**
 * What the store must hold after ingesting `messages`: one point per (series, interval
 * start) with an owner, the last value sent winning; plus what must be dead-lettered (a
 * poison message; a message with readings beyond the future horizon, once) and what stays
 * parked (no owner at that time).
 */
export function expectedOutcome(
  messages: readonly SimulatedMessage[],
  contracts: readonly ContractEvent[],
  { nowMs = Date.now(), horizonMs = 24 * 3_600_000 } = {},
) {
  const points = new Map<string, ExpectedPoint>();
  let deadLettered = 0;
  let unattached = 0;
  for (const m of messages) {
    if (m.fault && POISON_FAULTS.has(m.fault)) {
      deadLettered++;
      continue;
    }
    const decoded = codec.decode(m.value as Buffer);
    const batch = decoded.batch as IntervalBatch;
    // The simulator's 'future' fault dates a reading 400 days ahead: past the horizon.
    if (batch.intervals.some((i) => i.startMs > nowMs + horizonMs)) deadLettered++;
    for (const interval of batch.intervals) {
      if (interval.startMs > nowMs + horizonMs) continue;
      const owner = ownerAt(contracts, batch.meteringPointId, interval.startMs);
      if (!owner) {
        unattached++;
        continue;
      }
      points.set(`${owner.contractId}|${batch.direction}|${interval.startMs}`, {
        contractId: owner.contractId,
        meteringPointId: batch.meteringPointId,
        direction: batch.direction,
        timeMs: interval.startMs,
        quantityWh: interval.quantityWh,
      });
    }
  }
  return { points: [...points.values()], deadLettered, unattached };
}

/** Pseudonyms per `contractId|meteringPointId`, derived from the wrapped keys in the key topic (as the DPO would). */
export function pseudonymsOf(
  contracts: readonly ContractEvent[],
  keyOf: (customerId: string) => WrappedCustomerKey | undefined,
  keyring: Parameters<typeof unwrapCustomerKey>[0],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of contracts) {
    const record = keyOf(c.customerId);
    if (record)
      for (const mp of c.meteringPointIds) {
        out.set(
          `${c.contractId}|${mp}`,
          contractPseudonym(unwrapCustomerKey(keyring, record), c.contractId, mp),
        );
      }
  }
  return out;
}

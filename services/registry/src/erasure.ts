import { LukemaError } from '@lukema/core';
import type {
  CustomerStateEraser,
  ErasedPeriodStore,
  ExportArchive,
  Logger,
  MessageProducer,
  ParkingRewriter,
  ParkingStore,
  PointStateEraser,
  RegistryWriter,
  SeriesStore,
  StoredContract,
  WindowDigestEraser,
} from '@lukema/platform';
import type { MeterMessage } from '@lukema/schemas';
import type { CustomerKeyStore } from './customer-key-store.js';
import { type ErasedPeriod, withoutErasedReadings } from './parked-erasure.js';

export interface ErasureDeps {
  readonly store: RegistryWriter;
  readonly keys: Pick<CustomerKeyStore, 'destroy'>;
  readonly influx: Pick<SeriesStore, 'deleteSeries'>;
  readonly bucket: string;
  readonly parking: ParkingStore & ParkingRewriter;
  /** Where the erased periods are kept for readings that arrive late (not parked then). */
  readonly erased?: ErasedPeriodStore;
  readonly codec: {
    decode(bytes: Buffer): MeterMessage;
    encode(message: MeterMessage): Buffer;
  };
  /** Per-window state keyed by metering point: value digests and revision claims. */
  readonly windows: readonly WindowDigestEraser[];
  /** Per-point state (spike history, last register read), forgotten for vacated points. */
  readonly pointState: readonly PointStateEraser[];
  readonly exports: Pick<ExportArchive, 'purgeCustomer'>;
  /** Held access requests, one-time sign-in links and page sessions of the customer. */
  readonly customerState: readonly CustomerStateEraser[];
  readonly producer: MessageProducer;
  /** The compacted topics keyed by contract id and by customer number. */
  readonly contractsTopic: string;
  readonly objectionsTopic: string;
  readonly recordErasure: (requestId: string, contracts: number) => Promise<void>;
  readonly logger: Logger;
}

const periodOf = (c: StoredContract): ErasedPeriod => ({
  fromMs: c.startMs,
  toMs: c.endMs ?? Number.POSITIVE_INFINITY,
});

/**
 * Erases a customer: everything Lukema holds of them or that identifies them, in an order
 * that is safe to re-run after a crash (every step is idempotent, and the registry entries
 * that find the customer's data go last but one, before the key material).
 *
 * 1. Their held access requests, unused sign-in links and page sessions; their access
 *    exports: in flight cancelled, then files and job records removed.
 * 2. Their series in InfluxDB (readings and gap reports, by pseudonym).
 * 3. Parked readings of their metering points within their periods.
 * 4. Window digests of their points within their periods; spike history and last register
 *    read of points no other contract covers any more.
 * 5. Tombstones for their contract records and their objection record on the compacted
 *    topics, so that compaction removes the identity code the customer system sent.
 * 6. Registry entries, identity-code hash, objections; then key material (crypto-shredding).
 * 7. Their series again (a batch mapped before step 6 may have written after step 2), and
 *    exports again: one started while the erasure ran is removed too.
 */
export function createEraser(deps: ErasureDeps) {
  const log = deps.logger.child({ component: 'erasure' });

  async function forgetParked(meteringPointId: string, periods: readonly ErasedPeriod[]) {
    for (let attempt = 0; attempt < 10; attempt++) {
      const seen = await deps.parking.peek(meteringPointId);
      const kept: Buffer[] = [];
      let changed = false;
      for (const bytes of seen) {
        let left: MeterMessage | 'unchanged' | null;
        try {
          left = withoutErasedReadings(deps.codec.decode(bytes), periods);
        } catch {
          left = 'unchanged'; // not decodable: the worker dead-letters it when released
        }
        if (left === 'unchanged') kept.push(bytes);
        else {
          changed = true;
          if (left !== null) kept.push(deps.codec.encode(left));
        }
      }
      if (!changed || (await deps.parking.rewrite(meteringPointId, seen, kept))) {
        await deps.parking.forgetSourcesIfEmpty(meteringPointId);
        return;
      }
    }
    throw new LukemaError('parked readings kept changing during erasure', { retriable: true });
  }

  async function deleteSeriesOf(contracts: readonly StoredContract[]) {
    for (const contract of contracts) {
      for (const pseudonym of Object.values(contract.pseudonyms)) {
        await deps.influx.deleteSeries(deps.bucket, pseudonym);
      }
    }
  }

  return async function erase(customerId: string, requestId: string): Promise<void> {
    for (const state of deps.customerState) await state.forgetCustomer(customerId);
    await deps.exports.purgeCustomer(customerId);
    const contracts = await deps.store.contractsOfCustomer(customerId);
    const periodsByPoint = new Map<string, ErasedPeriod[]>();
    for (const contract of contracts) {
      for (const id of contract.meteringPointIds) {
        periodsByPoint.set(id, [...(periodsByPoint.get(id) ?? []), periodOf(contract)]);
      }
    }
    // First: from here on a late reading of these periods is dropped, not parked.
    for (const [id, periods] of periodsByPoint) await deps.erased?.add(id, periods);
    await deleteSeriesOf(contracts);
    for (const [id, periods] of periodsByPoint) {
      await forgetParked(id, periods);
      for (const p of periods) {
        for (const windows of deps.windows) await windows.forgetWindows(id, p.fromMs, p.toMs);
      }
    }
    if (contracts.length > 0) {
      await deps.producer.send(
        deps.contractsTopic,
        contracts.map((c) => ({ key: c.contractId, value: null })),
      );
    }
    await deps.producer.send(deps.objectionsTopic, [{ key: customerId, value: null }]);
    await deps.store.forgetCustomer(customerId);
    // A point someone else holds keeps its state; one left to no one forgets it.
    const points = [...periodsByPoint.keys()];
    const remaining = await deps.store.periodsFor(points);
    const vacated = points.filter((id) => (remaining.get(id) ?? []).length === 0);
    for (const state of deps.pointState) await state.forgetPoints(vacated);
    await deps.keys.destroy(customerId);
    // Again, now that no worker finds the customer's periods: a batch mapped before the
    // registry forgot them may have written under their pseudonyms after the first delete,
    // or parked their readings before the erased periods were kept.
    await deleteSeriesOf(contracts);
    for (const [id, periods] of periodsByPoint) await forgetParked(id, periods);
    await deps.exports.purgeCustomer(customerId);
    for (const state of deps.customerState) await state.forgetCustomer(customerId);
    await deps.recordErasure(requestId, contracts.length);
    log.info({ requestId, contracts: contracts.length, points: points.length }, 'customer erased');
  };
}

import {
  AuditPersonalDataError,
  type ContractEvent,
  coarseArea,
  contractPseudonym,
  helsinkiDayStartUtc,
  IdentityCodeError,
  type LukemaError,
  PoisonMessageError,
} from '@lukema/core';
import {
  BatchAbandonedError,
  type BatchConsumer,
  type BatchControl,
  type ConsumedBatch,
  type ConsumedMessage,
  InvalidQueryValueError,
  type Logger,
  type MessageProducer,
  type Objections,
  type ParkingStore,
  type ReadingCorrection,
  type RegistryWriter,
  releaseParked,
  retryWhileActive,
  type StoredContract,
} from '@lukema/platform';
import {
  parseContractEvent,
  parseCorrectionEvent,
  parseErasureEvent,
  parseObjectionEvent,
} from '@lukema/schemas';
import type { CustomerKeyStore } from './customer-key-store.js';

/** Everything the registry does besides keeping contracts, each optional for tests. */
export interface RegistryHooks {
  /** Re-attaches the stored readings of a contract that changed (rectification). */
  /**
   * Re-attaches the readings stored under `previous` as `next` (not yet stored) says, with
   * every other contract as the registry holds it.
   */
  readonly reattach?: (
    previous: StoredContract,
    next: StoredContract,
  ) => Promise<{ moved: number; parked: number }>;
  /** Keyed hash of an identity code (the code itself is never stored). */
  readonly identityHash?: (code: string) => string;
  /** Erases a customer: series, registry entries, key material (crypto-shredding). */
  readonly erase?: (customerId: string, requestId: string) => Promise<void>;
  /** Records an objection change in the audit trail. */
  readonly recordObjection?: (customerId: string, objections: Objections) => Promise<void>;
  /** Records a corrected reading value (noticed by a worker) in the audit trail. */
  readonly recordReadingCorrection?: (correction: ReadingCorrection) => Promise<void>;
  /** Records a rectification in the audit trail. */
  readonly recordRectification?: (
    contract: StoredContract,
    moved: number,
    parked: number,
  ) => Promise<void>;
}

export interface RegistryServiceOptions extends RegistryHooks {
  readonly consumer: BatchConsumer;
  readonly store: RegistryWriter;
  readonly keys: CustomerKeyStore;
  readonly parking: ParkingStore;
  readonly producer: MessageProducer;
  readonly readingsTopic: string;
  readonly deadLetterTopic: string;
  /** The customer system's objections (opt-outs) topic. */
  readonly objectionsTopic: string;
  /** Erasure requests from the rights API. */
  readonly erasuresTopic?: string;
  /** Corrected readings reported by the workers. */
  readonly correctionsTopic?: string;
  readonly logger: Logger;
}

export interface RegistryStats {
  contracts: number;
  objections: number;
  rectified: number;
  rejected: number;
  released: number;
}

/** Whether a change moves readings between pseudonyms (period, customer, points, status). */
export function attachmentChanged(previous: StoredContract, next: StoredContract): boolean {
  return (
    previous.startMs !== next.startMs ||
    previous.endMs !== next.endMs ||
    previous.customerId !== next.customerId ||
    previous.status !== next.status ||
    previous.meteringPointIds.join() !== next.meteringPointIds.join()
  );
}

/** Builds the stored form of a contract: instants, the pseudonym and the coarse area. */
export function storedContract(event: ContractEvent, customerKey: Buffer): StoredContract {
  return {
    ...event,
    startMs: helsinkiDayStartUtc(event.startDate),
    endMs: event.endDate === null ? null : helsinkiDayStartUtc(event.endDate),
    pseudonyms: Object.fromEntries(
      event.meteringPointIds.map((mp) => [
        mp,
        contractPseudonym(customerKey, event.contractId, mp),
      ]),
    ),
    area: coarseArea(event.postalCode),
  };
}

/**
 * Keeps the contract registry from the customer system's topic: creates customer key
 * material on first sight, stores each contract with its pseudonym, and re-queues the
 * readings parked for its metering points so they attach now.
 */
export function createRegistryService(options: RegistryServiceOptions) {
  const log = options.logger.child({ component: 'registry' });
  const stats: RegistryStats = {
    contracts: 0,
    objections: 0,
    rectified: 0,
    rejected: 0,
    released: 0,
  };

  async function apply(event: ContractEvent & { personalIdentityCode?: string }): Promise<void> {
    const { personalIdentityCode, ...contract } = event;
    const erasedAt = options.keys.erasedAt(contract.customerId);
    if (erasedAt && !(Date.parse(contract.updatedAt) > Date.parse(erasedAt))) {
      // Stated before the customer's erasure: replaying it must not bring their data back.
      // No contract id: this is an erased customer's contract.
      log.info('contract event from before an erasure skipped');
      return;
    }
    const key = await options.keys.keyFor(contract.customerId);
    const next = storedContract(contract, key);
    const previous = await options.store.getContract(contract.contractId);
    // The stored readings move before the new version is stored: a crash in between is
    // retried as the same change (re-attaching is idempotent), never taken for no change.
    if (previous && options.reattach && attachmentChanged(previous, next)) {
      const result = await options.reattach(previous, next);
      stats.rectified++;
      await options.recordRectification?.(next, result.moved, result.parked);
    }
    await options.store.putContract(next, previous);
    if (personalIdentityCode && options.identityHash) {
      await options.store.putIdentity(
        options.identityHash(personalIdentityCode),
        contract.customerId,
      );
    }
    // Parked readings of these points may have an owner now, readings that left the earlier
    // version among them: offer them once the new version is stored.
    const points = new Set([...(previous?.meteringPointIds ?? []), ...next.meteringPointIds]);
    for (const id of points) {
      stats.released += await releaseParked(
        options.parking,
        options.producer,
        options.readingsTopic,
        id,
      );
    }
    stats.contracts++;
  }

  /**
   * Carries out one event. Every event is parsed by its shared schema first; the audit
   * record of an objection is written before the objection takes effect.
   */
  async function process(topic: string, message: ConsumedMessage, control: BatchControl) {
    const retry = <T>(what: string, fn: () => Promise<T>) =>
      retryWhileActive(what, control, log, fn);
    if (topic === options.correctionsTopic) {
      const correction = parseCorrectionEvent(message.value);
      const record = options.recordReadingCorrection;
      if (record) await retry('record correction', () => record(correction));
      return;
    }
    if (topic === options.erasuresTopic) {
      const request = parseErasureEvent(message.value);
      const erase = options.erase;
      if (erase) await retry('erase', () => erase(request.customerId, request.requestId));
      return;
    }
    // A tombstone on a compacted topic (the customer system's, or an erasure's) states
    // nothing to apply: the erasure already removed what the key stood for.
    if (message.value === null) return;
    if (topic === options.objectionsTopic) {
      const objection = parseObjectionEvent(message.value);
      await retry('apply objection', async () => {
        await options.recordObjection?.(objection.customerId, objection.objections);
        await options.store.setObjections(objection.customerId, objection.objections);
      });
      stats.objections++;
      return;
    }
    const event = parseContractEvent(message.value);
    await retry('apply contract', () => apply(event));
  }

  async function handle(batch: ConsumedBatch, control: BatchControl): Promise<void> {
    try {
      for (const message of batch.messages) {
        try {
          await process(batch.topic, message, control);
        } catch (error) {
          // A poison event (invalid, or refused by the audit log) is never retried and must
          // not stop the events behind it: it goes to the dead-letter topic with the reason.
          // Anything else (an engine refusing the registry's token, say) is no fault of the
          // event: the consumer crashes and is restarted, or the service exits non-zero.
          if (!isPoisonEvent(error)) throw error;
          const reason = 'reason' in error ? String(error.reason) : error.message;
          stats.rejected++;
          log.warn({ topic: batch.topic, offset: message.offset, reason }, 'event dead-lettered');
          await retryWhileActive('dead-letter', control, log, () =>
            options.producer.send(options.deadLetterTopic, [
              {
                key: message.key,
                value: message.value,
                headers: {
                  'lukema-dlq-reason': reason,
                  'lukema-dlq-source-topic': batch.topic,
                  'lukema-dlq-source-offset': message.offset,
                },
              },
            ]),
          );
        }
        await control.commit((BigInt(message.offset) + 1n).toString());
      }
    } catch (error) {
      if (error instanceof BatchAbandonedError) return;
      throw error;
    }
  }

  return {
    stats,
    start: () => options.consumer.run(handle),
    stop: () => options.consumer.stop(),
  };
}

/** Errors that say the event itself can never be carried out. */
function isPoisonEvent(error: unknown): error is LukemaError {
  return (
    error instanceof PoisonMessageError ||
    error instanceof AuditPersonalDataError ||
    error instanceof IdentityCodeError ||
    error instanceof InvalidQueryValueError
  );
}

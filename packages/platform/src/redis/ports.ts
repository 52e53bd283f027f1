import type {
  ContractEvent,
  ContractPeriod,
  RegisterState,
  SeriesHistory,
  WrappedCustomerKey,
} from '@lukema/core';

/** A contract as the registry keeps it: the event, its instants, pseudonym and area. */
export interface StoredContract extends ContractEvent {
  readonly startMs: number;
  readonly endMs: number | null;
  /** Pseudonym per metering point of the contract. */
  readonly pseudonyms: Readonly<Record<string, string>>;
  readonly area: string;
}

/** What the ingest worker asks of the registry. */
export interface RegistryReader {
  /** Contract periods per metering point (empty array when the point is unknown). */
  periodsFor(meteringPointIds: readonly string[]): Promise<Map<string, ContractPeriod[]>>;
}

/** A customer's objections (opt-outs), from the customer system or set by the DPO. */
export interface Objections {
  readonly directMarketing: boolean;
  readonly marketResearch: boolean;
  readonly updatedAt: string;
  readonly source: 'customer-system' | 'dpo' | 'customer';
}

/** Who a pseudonym stands for: only the DPO's re-identification asks this. */
export interface PseudonymOwner {
  readonly pseudonym: string;
  readonly contractId: string;
  readonly customerId: string;
  readonly meteringPointId: string;
}

/** Who owns which series, in bulk: the per-area rollups count distinct customers with it. */
export interface SeriesOwnership {
  /** The customer of each pseudonym the registry knows (unknown ones are left out). */
  customersOfPseudonyms(pseudonyms: readonly string[]): Promise<Map<string, string>>;
  /**
   * The area (`NNNxx`) of each pseudonym's contract (unknown ones are left out): the raw
   * series carry no area (see core's series-tags.ts), so readers by area ask here.
   */
  areasOfPseudonyms(pseudonyms: readonly string[]): Promise<Map<string, string>>;
  /** Every customer with an objection on record, and the objection. */
  allObjections(): Promise<Map<string, Objections>>;
}

/** What the registry service keeps. A single registry writer is assumed. */
export interface RegistryWriter extends RegistryReader {
  findPseudonym(pseudonym: string): Promise<PseudonymOwner | undefined>;
  /** Records the keyed hash of a customer's identity code (never the code itself). */
  putIdentity(identityHash: string, customerId: string): Promise<void>;
  customerByIdentity(identityHash: string): Promise<string | undefined>;
  objectionsOf(customerIds: readonly string[]): Promise<Map<string, Objections>>;
  setObjections(customerId: string, objections: Objections): Promise<void>;
  /** Removes everything the registry keeps of a customer (erasure). */
  forgetCustomer(customerId: string): Promise<void>;
  getContract(contractId: string): Promise<StoredContract | undefined>;
  /** Replaces a contract and its periods at every metering point it covers or covered. */
  putContract(contract: StoredContract, previous: StoredContract | undefined): Promise<void>;
  /** Contracts of one customer (for access requests and erasure). */
  contractsOfCustomer(customerId: string): Promise<StoredContract[]>;
  /** Whether the registry was built from the topic since Redis last lost its data. */
  isBuilt(): Promise<boolean>;
  markBuilt(): Promise<void>;
}

/** Readings that could not be attached yet, kept until their assignment arrives. */
export interface ParkingStore {
  /**
   * Parks messages. An entry with a `source` (its topic/partition/offset) is parked once per
   * source: the same message read again after a crash, or replayed, is not parked twice.
   */
  park(
    entries: ReadonlyArray<{ meteringPointId: string; message: Buffer; source?: string }>,
  ): Promise<void>;
  /** Parked messages of a metering point, oldest first, without removing them. */
  peek(meteringPointId: string): Promise<Buffer[]>;
  /** Removes these parked messages (after they were re-queued), if still at the head. */
  drop(meteringPointId: string, messages: readonly Buffer[]): Promise<void>;
  /**
   * Runs `fn` while no other releaser of this metering point runs (the registry and the
   * workers may release one point at once), so parked messages are re-queued once.
   */
  exclusive<T>(meteringPointId: string, fn: () => Promise<T>): Promise<T>;
  /** Metering points with parked messages, and the total count. */
  summary(): Promise<{ meteringPoints: number; messages: number }>;
}

/** `[fromMs, toMs)` of an erased customer's contract at a metering point. */
export interface ErasedPeriod {
  readonly fromMs: number;
  /** Exclusive; Infinity for a contract that was open. */
  readonly toMs: number;
}

/** Whether `t` falls in one of `periods` (each `[fromMs, toMs)`). */
export const inErasedPeriod = (t: number, periods: readonly ErasedPeriod[]) =>
  periods.some((p) => t >= p.fromMs && t < p.toMs);

/**
 * Erased customers' periods per metering point, kept for the late-data window: a reading
 * of such a period that arrives after the erasure (a late final value, a dead letter
 * replayed) finds no contract and would be parked, under the point's id, for good. The
 * ingest worker drops it instead.
 */
export interface ErasedPeriodStore {
  add(meteringPointId: string, periods: readonly ErasedPeriod[]): Promise<void>;
  periodsOf(meteringPointIds: readonly string[]): Promise<Map<string, ErasedPeriod[]>>;
}

/** Redis as a cache of wrapped customer keys (the Kafka topic is the system of record). */
export interface KeyCache {
  get(customerId: string): Promise<WrappedCustomerKey | undefined>;
  set(record: WrappedCustomerKey): Promise<void>;
  delete(customerId: string): Promise<void>;
}

/** The last register read per metering point and direction (register → interval deltas). */
export interface RegisterStateStore {
  /** Each series' kept reads (`REGISTER_EDGES_KEPT` at most), oldest first. */
  getMany(keys: readonly string[]): Promise<Map<string, RegisterState[]>>;
  setMany(states: ReadonlyMap<string, readonly RegisterState[]>): Promise<void>;
}

/**
 * What was last stored for each push window (a digest of its values), so a re-sent window
 * with other values is known as a correction.
 */
export interface WindowDigestStore {
  getMany(windows: ReadonlyArray<{ id: string; startMs: number }>): Promise<Map<string, string>>;
  setMany(entries: ReadonlyArray<{ id: string; startMs: number; digest: string }>): Promise<void>;
}

/** A corrected push as the registry records it in the audit trail (no identifier). */
export interface ReadingCorrection {
  readonly pseudonym: string;
  readonly windowStart: string;
  readonly intervals: number;
}

/**
 * The spike-check history per series (metering point + direction), shared by the workers so
 * that a restart or a partition moving to another worker does not start it over.
 */
export interface SeriesHistoryStore {
  getMany(keys: readonly string[]): Promise<Map<string, SeriesHistory>>;
  setMany(entries: ReadonlyMap<string, SeriesHistory>): Promise<void>;
}

/**
 * What erasure asks of the stores keyed by metering point (spike history, last register
 * read): forget these points' state.
 */
export interface PointStateEraser {
  forgetPoints(meteringPointIds: readonly string[]): Promise<void>;
}

/** What erasure asks of the window digests: forget a point's windows starting in a period. */
export interface WindowDigestEraser {
  /** Removes the digests of windows of `meteringPointId` starting in [fromMs, toMs). */
  forgetWindows(meteringPointId: string, fromMs: number, toMs: number): Promise<number>;
}

/** What erasure asks of the parking store: replace a point's parked messages as read. */
export interface ParkingRewriter {
  /**
   * Replaces `seen` (the head of the point's list, as peek returned it) with `kept`, only
   * if the head is still `seen`. @returns false when it changed meanwhile (peek again).
   */
  rewrite(
    meteringPointId: string,
    seen: readonly Buffer[],
    kept: readonly Buffer[],
  ): Promise<boolean>;
  /**
   * Drops the point's ledger of parked source messages once nothing of it is parked (the
   * ledger's key names the point).
   */
  forgetSourcesIfEmpty(meteringPointId: string): Promise<void>;
}

/**
 * Keys of things already done once (a dead letter written for a source message, a source
 * message replayed), so that doing it again can be recognised and left out.
 */
export interface KeyLedger {
  /** Of `keys`, those recorded (and not yet expired). */
  recorded(keys: readonly string[]): Promise<Set<string>>;
  record(keys: readonly string[]): Promise<void>;
}

/** A push window a batch is about to write, with the revision (the push's sentAt) it holds. */
export interface WindowClaim {
  readonly id: string;
  readonly startMs: number;
  readonly rev: number;
  /** Who writes it: the source message (topic/partition/offset), the same when read again. */
  readonly owner: string;
}

/**
 * The revision rule, decided atomically in one place: per push window, the newest revision
 * claimed so far, and who is writing it. A window is written by one owner at a time, so a
 * newer revision is written after an older one finished, never before it.
 */
export interface RevisionGate {
  /**
   * Claims every window at once, or none.
   * @returns the ids of the claims that are stale: a newer revision of that window was
   * claimed before, so the older one must not be written.
   * @throws WindowBusyError (retriable) when another owner is still writing one of them.
   */
  claim(claims: readonly WindowClaim[]): Promise<Set<string>>;
  /** Ends the claims once their points are stored (a claim not ended lapses after a lease). */
  release(claims: readonly WindowClaim[]): Promise<void>;
}

/** An hour whose stored readings changed, as the rollups' ledger holds it. */
export interface DirtyHour {
  readonly hourMs: number;
  /** The mark's stamp (Redis clock, µs, strictly increasing): a later mark replaces it. */
  readonly seq: number;
}

/**
 * The rollups' ledger of hours whose readings changed (written, corrected, moved, erased)
 * since they were last rolled up. Durable in Redis, so a rollup service that was down
 * catches up on start.
 */
export interface DirtyHoursLedger {
  /** Marks hours (epoch ms, whole hours) for re-aggregation. */
  mark(hoursMs: Iterable<number>): Promise<void>;
  /**
   * Up to `limit` marked hours, oldest marks first, leaving marks younger than `settleMs`
   * (a write marked at its start may still be landing).
   */
  take(limit: number, settleMs?: number): Promise<DirtyHour[]>;
  /** Clears these marks, except hours marked again since they were taken. */
  done(hours: readonly DirtyHour[]): Promise<void>;
  /** How many hours are marked. */
  size(): Promise<number>;
}

/**
 * Series the rollups found with no owner in the registry (they count as their own customer
 * in the per-area rollups): an aggregate for a purpose customers may object to leaves them
 * out, as the per-series path does, since nobody can say whether their owner objected.
 */
export interface UnownedSeries {
  note(pseudonyms: Iterable<string>): Promise<void>;
  /** Every series noted (some may have an owner again: ask the registry). */
  all(): Promise<string[]>;
}

/** An exclusive lease (one holder at a time) that lapses unless its holder renews it. */
export interface Lease {
  /** Takes the lease for `ttlMs`: false when another holder has it. */
  acquire(holder: string, ttlMs: number): Promise<boolean>;
  /** Extends this holder's lease: false when it lapsed (and maybe another took it). */
  renew(holder: string, ttlMs: number): Promise<boolean>;
  /** Ends this holder's lease (another holder's is left alone). */
  release(holder: string): Promise<void>;
  /** Who holds it now. */
  holder(): Promise<string | undefined>;
}

/** The durable differential-privacy budget per API token and purpose. */
export interface PrivacyBudgetStore {
  /**
   * Spends `epsilon` of the `total` budget of a token acting for a purpose, atomically:
   * refused (nothing spent) when it would exceed the total.
   */
  spend(
    tokenId: string,
    purpose: string,
    epsilon: number,
    total: number,
  ): Promise<{ allowed: boolean; spent: number; total: number }>;
}

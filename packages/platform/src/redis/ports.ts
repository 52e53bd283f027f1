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
  readonly source: 'customer-system' | 'dpo';
}

/** Who a pseudonym stands for: only the DPO's re-identification asks this. */
export interface PseudonymOwner {
  readonly pseudonym: string;
  readonly contractId: string;
  readonly customerId: string;
  readonly meteringPointId: string;
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
  park(entries: ReadonlyArray<{ meteringPointId: string; message: Buffer }>): Promise<void>;
  /** Parked messages of a metering point, oldest first, without removing them. */
  peek(meteringPointId: string): Promise<Buffer[]>;
  /** Removes these parked messages (after they were re-queued), if still at the head. */
  drop(meteringPointId: string, messages: readonly Buffer[]): Promise<void>;
  /** Metering points with parked messages, and the total count. */
  summary(): Promise<{ meteringPoints: number; messages: number }>;
}

/** Redis as a cache of wrapped customer keys (the Kafka topic is the system of record). */
export interface KeyCache {
  get(customerId: string): Promise<WrappedCustomerKey | undefined>;
  set(record: WrappedCustomerKey): Promise<void>;
  delete(customerId: string): Promise<void>;
}

/** The last register read per metering point and direction (register → interval deltas). */
export interface RegisterStateStore {
  getMany(keys: readonly string[]): Promise<Map<string, RegisterState>>;
  setMany(states: ReadonlyMap<string, RegisterState>): Promise<void>;
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

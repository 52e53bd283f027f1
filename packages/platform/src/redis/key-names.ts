/**
 * Every Redis key (or key prefix) Lukema's services use, from the one configured prefix:
 * the one owner of these names, so erasure and the services that write agree on them.
 */
export function redisKeys(prefix: string) {
  return {
    /** The contract registry (IoredisRegistryStore). */
    registry: `${prefix}:registry`,
    /** Parked readings per metering point (IoredisParkingStore). */
    parked: `${prefix}:parked`,
    /** Erased customers' periods per metering point (IoredisErasedPeriods). */
    erasedPeriods: `${prefix}:erased-periods`,
    /** Digests per push window, one hash per UTC day (IoredisWindowDigests). */
    windowDigests: `${prefix}:window-digests:v2`,
    /** Newest revision claimed per push window, one hash per UTC day (IoredisRevisionGate). */
    windowRevisions: `${prefix}:window-revisions`,
    /** Source messages whose dead letters were written, per dead-letter topic. */
    deadLettersWritten: (topic: string) => `${prefix}:dead-letters-written:${topic}`,
    /** Source messages a dead-letter replay re-queued, per dead-letter topic. */
    deadLettersReplayed: (topic: string) => `${prefix}:dlq-replayed:${topic}`,
    /** Held while a replay of a dead-letter topic runs: one at a time, CLI or API. */
    deadLettersReplayLock: (topic: string) => `${prefix}:dlq-replay-lock:${topic}`,
    /** Last register read per metering point and direction. */
    registerLast: `${prefix}:register:last`,
    /** Spike-check history per metering point and direction. */
    seriesHistory: `${prefix}:series-history`,
    /** Cache of wrapped customer keys. */
    customerKeys: `${prefix}:keys:customer`,
    /** API token hashes. */
    apiTokens: `${prefix}:api-tokens`,
    /** Cancellation flags of access exports in flight, by request id. */
    exportCancels: `${prefix}:export-cancel`,
    /** Hours whose readings changed since the rollups last took them (IoredisDirtyHours). */
    rollupDirtyHours: `${prefix}:rollups:dirty-hours`,
    /** The lease a rollup run or backfill holds while it writes rollups (IoredisLease). */
    rollupRunLease: `${prefix}:rollups:run-lease`,
    /** Series the rollups found without an owner (IoredisUnownedSeries). */
    rollupUnownedSeries: `${prefix}:rollups:unowned-series`,
    /** Differential-privacy budget spent per API token and purpose (IoredisPrivacyBudget). */
    privacyBudget: `${prefix}:privacy-budget`,
    /** The BullMQ queue of access exports (BullMQ adds its own `bull:` prefix). */
    exportQueue: `${prefix.replace(/:/g, '-')}-access-exports`,
    /** One-time sign-in links to the customer's page (SHA-256 of the link → customer). */
    signInLinks: `${prefix}:sign-in-links`,
    /** Legal holds that stop an erasure, by customer number. */
    legalHolds: `${prefix}:legal-holds`,
    /** Access requests received, before approval queues their export (by request id). */
    heldRequests: `${prefix}:access-requests`,
    /** Console and customer-page sessions (SHA-256 of the session id → session). */
    consoleSessions: `${prefix}:console-sessions`,
  } as const;
}

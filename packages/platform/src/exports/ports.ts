/**
 * The access exports as erasure and the expiry sweep see them: finished files in the export
 * folder plus the job records that describe them. Only what those callers use.
 */
export interface ExportArchive {
  /**
   * Cancels the customer's exports in flight, then removes all their job records and files.
   * @returns how many exports were removed.
   * @throws EngineUnavailableError (retriable) when Redis fails or an export does not stop.
   */
  purgeCustomer(customerId: string): Promise<number>;
  /**
   * Removes every export created before `nowMs - ttlMs` (files and job records), and
   * export folders no job describes any more.
   * @returns how many exports or folders were removed.
   */
  sweepExpired(ttlMs: number, nowMs?: number): Promise<number>;
  /** Whether an erasure asked this export to stop (the export worker checks as it goes). */
  cancelRequested(requestId: string): Promise<boolean>;
  close(): Promise<void>;
}

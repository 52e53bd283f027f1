import {
  type AuditEntry,
  AuditPersonalDataError,
  type AuditRecord,
  LukemaError,
} from '@lukema/core';
import type { AuditLog } from '@lukema/platform';

/**
 * Thrown when the audit trail refuses an entry (it holds what looks like a direct
 * identifier). Nothing was done: the caller gets a 400 naming the field, never the value.
 */
export class AuditRefusedError extends LukemaError {
  readonly statusCode = 400;

  constructor(cause: AuditPersonalDataError) {
    super(`the audit trail refused the request (${cause.message}); nothing was done`, {
      retriable: false,
      cause,
      context: { field: cause.field, kind: cause.kind },
    });
  }
}

/**
 * Thrown when the audit record cannot be made durable (Kafka down or refusing). Nothing
 * was done; retriable. The caller gets a 503 that says so.
 */
export class AuditUnavailableError extends LukemaError {
  readonly statusCode = 503;
  /** The message is safe to show: it carries no engine text and no personal data. */
  readonly expose = true;

  constructor(cause: unknown) {
    super('the audit trail is unavailable; nothing was done, try again later', {
      retriable: true,
      cause,
    });
  }
}

/**
 * Appends an audit entry before the action it records takes effect: a rights action runs
 * only once its record is durable, so a refused or failed append stops it.
 * @throws AuditRefusedError when the entry holds a direct identifier;
 *   AuditUnavailableError when the trail cannot store it.
 */
export async function appendFirst(audit: AuditLog, entry: AuditEntry): Promise<AuditRecord> {
  try {
    return await audit.append(entry);
  } catch (error) {
    if (error instanceof AuditPersonalDataError) throw new AuditRefusedError(error);
    throw new AuditUnavailableError(error);
  }
}

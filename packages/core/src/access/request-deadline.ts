const DAY_MS = 86_400_000;

/**
 * The answer to an access request is due one month after it was received (GDPR Art. 12(3)),
 * extendable by two further months. A month is a calendar month, clamped to the last day
 * (received 31 January: due 28/29 February).
 */
export function accessRequestDeadline(receivedMs: number, extended = false): number {
  const received = new Date(receivedMs);
  const months = extended ? 3 : 1;
  const target = new Date(Date.UTC(received.getUTCFullYear(), received.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(received.getUTCDate(), lastDay));
  return target.getTime() + (receivedMs % DAY_MS);
}

/** Whole days left until the deadline (0 on its last day, negative once it has passed). */
export function daysLeft(deadlineMs: number, nowMs: number): number {
  return Math.floor((deadlineMs - nowMs) / DAY_MS);
}

/** An access request's state as the DPO reads it (the vocabulary). */
export type AccessRequestStatus =
  | 'approved'
  | 'running'
  | 'ready'
  | 'delivered'
  | 'failed'
  | 'cancelled'
  | 'nothing found';

/**
 * Maps the export job's state to the request's status: a queued job is an approved
 * request (the DPO's start is the approval), a finished one is ready, or delivered once a
 * file was downloaded.
 */
export function accessRequestStatus(
  jobState: string,
  found: boolean | undefined,
  downloaded: boolean,
): AccessRequestStatus {
  switch (jobState) {
    case 'active':
      return 'running';
    case 'completed':
      return found === false ? 'nothing found' : downloaded ? 'delivered' : 'ready';
    case 'failed':
      return 'failed';
    case 'unknown':
      return 'cancelled';
    default:
      return 'approved';
  }
}

import type { Language } from '../export/report-texts.js';

/** How an access request reached the utility. */
export const RECEIPT_CHANNELS = ['letter', 'email', 'phone', 'in_person', 'customer_page'] as const;
export type ReceiptChannel = (typeof RECEIPT_CHANNELS)[number];

/**
 * A received access request before its export is queued: `identity to verify` (recorded
 * from a letter, an e-mail, a call), `new` (identity established, waiting for the DPO's
 * approval) or `denied` (with the reason). Approval hands it to the export queue.
 */
export type HeldRequestState = 'identity to verify' | 'new' | 'denied';

/** A held request: the customer number only, never an identity code. */
export interface HeldAccessRequest {
  readonly requestId: string;
  readonly customerId: string;
  /** When the request was received: the one-month deadline counts from here. */
  readonly receivedAt: string;
  readonly channel: ReceiptChannel;
  readonly state: HeldRequestState;
  readonly language?: Language;
  /** How the DPO (or the customer's sign-in) established the requester's identity. */
  readonly identityVerifiedBy?: string;
  readonly deniedReason?: string;
  readonly updatedAt: string;
}

export type HeldStep = { readonly ok: HeldAccessRequest } | { readonly problem: string };

/** The sign-in of the customer's page (strong authentication, or a one-time link). */
export const CUSTOMER_PAGE_IDENTITY = 'signed in to the customer page';

/**
 * A request as received. One made on the customer's own page has its identity established
 * by the sign-in and waits as `new`; any other waits for the DPO to verify the identity.
 */
export function receivedRequest(input: {
  readonly requestId: string;
  readonly customerId: string;
  readonly receivedAt: string;
  readonly channel: ReceiptChannel;
  readonly language?: Language;
  readonly nowMs: number;
}): HeldAccessRequest {
  const { nowMs, language, ...rest } = input;
  const fromPage = input.channel === 'customer_page';
  return {
    ...rest,
    state: fromPage ? 'new' : 'identity to verify',
    ...(language ? { language } : {}),
    ...(fromPage ? { identityVerifiedBy: CUSTOMER_PAGE_IDENTITY } : {}),
    updatedAt: new Date(nowMs).toISOString(),
  };
}

/** The DPO records how the identity was verified: `identity to verify` becomes `new`. */
export function withIdentityVerified(
  request: HeldAccessRequest,
  method: string,
  nowMs: number,
): HeldStep {
  if (request.state !== 'identity to verify')
    return { problem: `the request is ${request.state}, not waiting for an identity check` };
  return {
    ok: {
      ...request,
      state: 'new',
      identityVerifiedBy: method,
      updatedAt: new Date(nowMs).toISOString(),
    },
  };
}

/** A request still open (not denied) may be denied, with the reason kept. */
export function withDenial(request: HeldAccessRequest, reason: string, nowMs: number): HeldStep {
  if (request.state === 'denied') return { problem: 'the request was denied already' };
  return {
    ok: {
      ...request,
      state: 'denied',
      deniedReason: reason,
      updatedAt: new Date(nowMs).toISOString(),
    },
  };
}

/** Why the request cannot be approved yet, or undefined when it can. */
export function approvalProblem(request: HeldAccessRequest): string | undefined {
  if (request.state === 'new') return undefined;
  return request.state === 'denied'
    ? 'the request was denied'
    : 'verify the requester’s identity before approving';
}

/**
 * The receipt instant of a date the DPO gives (YYYY-MM-DD, the day a letter arrived), or a
 * problem: it must be a real date, not in the future.
 */
export function receivedAtOf(
  date: string | undefined,
  nowMs: number,
): { at: string } | { problem: string } {
  if (date === undefined) return { at: new Date(nowMs).toISOString() };
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date)
    return { problem: 'received must be a date (YYYY-MM-DD)' };
  if (ms > nowMs) return { problem: 'received must not be in the future' };
  return { at: new Date(ms).toISOString() };
}

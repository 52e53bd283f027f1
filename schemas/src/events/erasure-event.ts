import { z } from 'zod';
import { encodeEvent, parseEvent } from './parse-event.js';

/** An erasure request from the rights API to the registry (key: customerId). */
export const ERASURE_EVENT = z
  .object({
    requestId: z.string().min(1),
    customerId: z.string().min(1),
    requestedAt: z.string(),
  })
  .strict();

export type ErasureEvent = z.output<typeof ERASURE_EVENT>;

/** @throws PoisonMessageError naming the invalid fields. */
export const parseErasureEvent = (bytes: Buffer | string | null): ErasureEvent =>
  parseEvent('erasure request', ERASURE_EVENT, bytes);

/** The JSON the API publishes. @throws PoisonMessageError when the event is invalid. */
export const erasureEventValue = (event: ErasureEvent): string =>
  encodeEvent('erasure request', ERASURE_EVENT, event);

import { z } from 'zod';
import { encodeEvent, parseEvent } from './parse-event.js';

/**
 * A corrected push noticed by an ingest worker, for the registry's audit chain (key: the
 * pseudonym). No identifier: the registry looks the owner up itself.
 */
export const CORRECTION_EVENT = z
  .object({
    pseudonym: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 128-bit hex pseudonym'),
    windowStart: z.string(),
    intervals: z.number().int().nonnegative(),
  })
  .strict();

export type CorrectionEvent = z.output<typeof CORRECTION_EVENT>;

/** @throws PoisonMessageError naming the invalid fields. */
export const parseCorrectionEvent = (bytes: Buffer | string | null): CorrectionEvent =>
  parseEvent('reading correction', CORRECTION_EVENT, bytes);

/** The JSON a worker publishes. @throws PoisonMessageError when the event is invalid. */
export const correctionEventValue = (event: CorrectionEvent): string =>
  encodeEvent('reading correction', CORRECTION_EVENT, event);

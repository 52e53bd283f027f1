/**
 * The spike history older versions kept per series in Redis (an EWMA of measured energy).
 * Spikes are now judged within their own push (see spike.ts), so nothing reads or writes it
 * any more; the type stays for the Redis adapter that still erases old entries of it.
 */
export interface SeriesHistory {
  readonly meanWh: number;
  readonly count: number;
}

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LukemaError } from '@lukema/core';
import type { Lease } from '@lukema/platform';

/** Another rollup run (the service's or a backfill) holds the lease: try again after it. */
export class RollupBusyError extends LukemaError {
  constructor(holder: string | undefined) {
    super(
      `another rollup run is writing rollups (${holder ?? 'its lease just ended'}): ` +
        'nothing written; run the backfill again once it finished',
      { retriable: true, context: { holder } },
    );
  }
}

/** This run's lease lapsed (Redis unreachable too long to renew it): it stops writing. */
export class RollupLeaseLostError extends LukemaError {
  constructor() {
    super(
      'the rollup run lost its lease and stopped writing; the window it was writing is marked ' +
        'for the service to redo (if Redis was unreachable, run the backfill over it again)',
      {
        retriable: true,
      },
    );
  }
}

/**
 * Runs rollup work exclusively: every run of the service and every backfill writes rollup
 * windows only while it holds one lease, so a backfill and the service (or two instances of
 * it) never write the same window from readings read at different times, a slower one
 * putting back points older than the other's. The lease is renewed every third of its
 * length; the run checks it still holds it (by its own clock, a third of the lease to spare)
 * before each write, so it stops before another run can have taken over.
 */
export function runLease(lease: Lease | undefined, leaseMs: number) {
  const holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  let validUntil = Number.POSITIVE_INFINITY;

  return {
    holder,
    /** Runs `fn` holding the lease; undefined without running it when another run holds it. */
    async exclusively<T>(fn: () => Promise<T>): Promise<T | undefined> {
      if (!lease) return fn();
      const startedMs = Date.now();
      if (!(await lease.acquire(holder, leaseMs))) return undefined;
      validUntil = startedMs + leaseMs;
      const timer = setInterval(() => {
        const askedMs = Date.now();
        lease.renew(holder, leaseMs).then(
          (held) => {
            validUntil = held ? askedMs + leaseMs : 0;
          },
          () => undefined, // tried again on the next tick; writes stop once it would lapse
        );
      }, leaseMs / 3);
      try {
        return await fn();
      } finally {
        clearInterval(timer);
        validUntil = Number.POSITIVE_INFINITY;
        await lease.release(holder).catch(() => undefined);
      }
    },
    /** Throws when the lease may have lapsed: called before each write. */
    check(): void {
      if (lease && Date.now() > validUntil - leaseMs / 3) throw new RollupLeaseLostError();
    },
    /** Who holds the lease now (for the busy message). */
    current: () => lease?.holder() ?? Promise.resolve(undefined),
  };
}

import { describe, expect, it } from 'vitest';
import { RollupLeaseLostError, runLease } from './run-lease.js';

/** A lease in memory; `lapse()` lets another holder take it. */
function memoryLease() {
  let held: string | undefined;
  return {
    lapse: () => {
      held = 'another';
    },
    acquire: async (holder: string) => {
      if (held !== undefined) return false;
      held = holder;
      return true;
    },
    renew: async (holder: string) => held === holder,
    release: async (holder: string) => {
      if (held === holder) held = undefined;
    },
    holder: async () => held,
  };
}

describe('run lease', () => {
  it('runs one holder at a time and releases after', async () => {
    const lease = memoryLease();
    const a = runLease(lease, 60_000);
    const b = runLease(lease, 60_000);
    const inner = await a.exclusively(async () => b.exclusively(async () => 'b ran'));
    expect(inner).toBeUndefined();
    expect(await b.exclusively(async () => 'b ran')).toBe('b ran');
  });

  it('stops writing once a renewal found the lease taken', async () => {
    const lease = memoryLease();
    const run = runLease(lease, 30);
    await expect(
      run.exclusively(async () => {
        run.check();
        lease.lapse();
        await new Promise((r) => setTimeout(r, 40)); // a renewal tick (every 10 ms) passes
        run.check();
      }),
    ).rejects.toBeInstanceOf(RollupLeaseLostError);
  });
});

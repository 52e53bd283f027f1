import { createLogger } from '@lukema/platform';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startExportSweep } from './export-sweep.js';

const logger = createLogger({ level: 'silent', name: 'test' });

describe('startExportSweep', () => {
  afterEach(() => vi.useRealTimers());

  it('sweeps at once and then every period, never two sweeps at a time', async () => {
    vi.useFakeTimers();
    let calls = 0;
    let finish: (n: number) => void = () => undefined;
    const sweep = vi.fn(() => {
      calls++;
      return new Promise<number>((resolve) => {
        finish = resolve;
      });
    });
    const handle = startExportSweep(sweep, logger, 1000);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(1); // the first is still running
    finish(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    handle.stop();
    finish(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(2);
  });

  it('keeps sweeping after a failed round', async () => {
    vi.useFakeTimers();
    const sweep = vi.fn().mockRejectedValueOnce(new Error('redis down')).mockResolvedValue(0);
    const handle = startExportSweep(sweep, logger, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sweep).toHaveBeenCalledTimes(2);
    handle.stop();
  });
});

import { describe, expect, it } from 'vitest';
import { hourRuns } from './rollup-runner.js';

const H = 3_600_000;

describe('hour runs', () => {
  it('groups contiguous hours into runs of at most a day', () => {
    expect(hourRuns([5 * H, 3 * H, 4 * H, 9 * H, 4 * H])).toEqual([
      [3 * H, 6 * H],
      [9 * H, 10 * H],
    ]);
    const day = Array.from({ length: 30 }, (_, i) => i * H);
    expect(hourRuns(day)).toEqual([
      [0, 24 * H],
      [24 * H, 30 * H],
    ]);
  });
});

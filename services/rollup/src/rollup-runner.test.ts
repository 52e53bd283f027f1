import { createLogger } from '@lukema/platform';
import { describe, expect, it } from 'vitest';
import { createRollupRunner, hourRuns, type RollupRunnerOptions } from './rollup-runner.js';

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

describe('a backfill stopped part way', () => {
  it('marks the week it was writing, so the service redoes what it may have deleted', async () => {
    const marked: number[] = [];
    const runner = createRollupRunner({
      store: {
        readingsInRange: async () => [],
        rollupsInRange: async () => [],
        areaProfile: async () => [],
        // The old points' delete is where the run stops (InfluxDB gone, a lease lost).
        deleteRollups: async () => {
          throw new Error('influxdb gone');
        },
        writeLines: async () => ({ written: 0 }),
      } as unknown as RollupRunnerOptions['store'],
      ledger: {
        mark: async (hours) => {
          marked.push(...hours);
        },
        take: async () => [],
        done: async () => undefined,
        size: async () => marked.length,
      },
      owners: {
        customersOfPseudonyms: async () => new Map(),
        areasOfPseudonyms: async () => new Map(),
      },
      readingsBucket: 'readings',
      rollupBucket: 'rollups',
      logger: createLogger({ level: 'silent', name: 'rollup-runner-test' }),
    });
    await expect(runner.backfill(0, 3 * H)).rejects.toThrow('influxdb gone');
    expect(marked).toEqual([0, H, 2 * H]);
  });
});

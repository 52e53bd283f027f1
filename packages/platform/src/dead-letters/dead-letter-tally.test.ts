import { describe, expect, it } from 'vitest';
import { DeadLetterTally } from './dead-letter-tally.js';

describe('DeadLetterTally', () => {
  it('counts per topic and reason kind, with the oldest and newest time and what awaits replay', () => {
    const t = new DeadLetterTally();
    t.add('dlq', 'unattributable: no contract for 643007574000000013', Date.UTC(2026, 3, 2), true);
    t.add('dlq', 'unattributable: no contract for 643007574000000021', Date.UTC(2026, 3, 1), false);
    t.add('dlq', 'not Avro single-object encoded (C3 01 marker)', Date.UTC(2026, 3, 3), true);
    t.add('contracts-dlq', 'invalid contract event: missing field', Number.NaN);
    const counts = t.counts();
    expect(counts).toEqual([
      { topic: 'contracts-dlq', kind: 'invalid contract event', letters: 1 },
      {
        topic: 'dlq',
        kind: 'unattributable',
        letters: 2,
        awaitingReplay: 1,
        oldestAt: '2026-04-01T00:00:00.000Z',
        newestAt: '2026-04-02T00:00:00.000Z',
      },
      {
        topic: 'dlq',
        kind: 'not avro single-object encoded',
        letters: 1,
        awaitingReplay: 1,
        oldestAt: '2026-04-03T00:00:00.000Z',
        newestAt: '2026-04-03T00:00:00.000Z',
      },
    ]);
    // Only the kind is kept: nothing of a reason's details (a metering point) survives.
    expect(JSON.stringify(counts)).not.toMatch(/6430075/);
  });
});

import type { StoredReadingBatch } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { MeterMessageCodec } from './meter-message-codec.js';
import { StoredReadingCodec } from './stored-reading-codec.js';

const batch: StoredReadingBatch = {
  messageId: 'rectification-K-1',
  headEndId: 'lukema-rectification',
  meteringPointId: '643007574000138589',
  direction: 'production',
  resolution: 'PT15M',
  sentAtMs: 1_768_000_000_000,
  readings: [
    {
      startMs: 1_767_999_600_000,
      quantityWh: 30_000,
      quality: 'suspect',
      flags: ['corrected', 'spike'],
      revision: 1_767_990_000_000,
      dataStatus: 'final',
    },
    {
      startMs: 1_767_998_700_000,
      quantityWh: null,
      quality: 'missing',
      flags: ['missing'],
      revision: 7,
    },
    {
      startMs: 1_767_997_800_000,
      quantityWh: 12,
      quality: 'estimated',
      flags: ['clock_adjusted', 'recovered_value'],
      revision: 8,
      dataStatus: 'preliminary',
    },
  ],
};

describe('StoredReadingCodec', () => {
  it('round-trips stored readings exactly, with and without a Datahub status', () => {
    const codec = new StoredReadingCodec();
    expect(codec.decode(codec.encode(batch))).toEqual(batch);
    expect(codec.decode(codec.encode(batch)).readings[1]).not.toHaveProperty('dataStatus');
  });

  it('is told apart from head-end messages on the readings topic', () => {
    const meter = new MeterMessageCodec();
    expect(meter.decode(meter.encodeStored(batch))).toEqual({ kind: 'stored', batch });
    expect(meter.knownFingerprints).toContain(new StoredReadingCodec().knownFingerprints[0]);
    const decoded = meter.decode(meter.encodeStored(batch));
    expect(meter.decode(meter.encode(decoded))).toEqual(decoded);
  });
});

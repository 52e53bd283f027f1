import { type IntervalBatch, PoisonMessageError } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { IntervalBatchCodec } from './interval-batch-codec.js';

const batch: IntervalBatch = {
  messageId: 'm-1',
  headEndId: 'he-1',
  meteringPointId: '643007574000138589',
  direction: 'production',
  resolution: 'PT15M',
  sentAtMs: 1_767_225_600_000,
  intervals: [
    { startMs: 1_767_225_600_000, quantityWh: 1234, flags: [] },
    { startMs: 1_767_226_500_000, quantityWh: null, flags: ['MISSING'] },
  ],
};

describe('IntervalBatchCodec', () => {
  const codec = new IntervalBatchCodec();

  it('round-trips a batch through single-object encoding', () => {
    const bytes = codec.encode(batch);
    expect(bytes[0]).toBe(0xc3);
    expect(bytes[1]).toBe(0x01);
    expect(codec.decode(bytes)).toEqual(batch);
  });

  it('rejects bytes without the single-object marker as poison', () => {
    expect(() => codec.decode(Buffer.from('{"json":true}'))).toThrow(PoisonMessageError);
  });

  it('rejects an unknown writer fingerprint, naming it', () => {
    const bytes = codec.encode(batch);
    bytes.writeUInt8(bytes.readUInt8(5) ^ 0xff, 5);
    expect(() => codec.decode(bytes)).toThrow(/unknown writer schema fingerprint/);
  });

  it('rejects a truncated body as poison', () => {
    const bytes = codec.encode(batch);
    expect(() => codec.decode(bytes.subarray(0, bytes.length - 3))).toThrow(PoisonMessageError);
  });
});

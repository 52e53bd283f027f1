import { type IntervalBatch, PoisonMessageError, type RegisterReadBatch } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { IntervalBatchCodec, loadSchema } from './interval-batch-codec.js';
import { MeterMessageCodec } from './meter-message-codec.js';
import { SingleObjectCodec } from './single-object-codec.js';

const T0 = 1_767_225_600_000;

const intervalBatch: IntervalBatch = {
  messageId: 'm-1',
  headEndId: 'he-1',
  meteringPointId: '643007574000138589',
  direction: 'consumption',
  resolution: 'PT15M',
  sentAtMs: T0,
  intervals: [{ startMs: T0, quantityWh: 250, flags: [] }],
  dataStatus: 'final',
};

const registerBatch: RegisterReadBatch = {
  messageId: 'm-2',
  headEndId: 'he-1',
  meteringPointId: '643007574000138589',
  direction: 'production',
  resolution: 'PT1H',
  sentAtMs: T0,
  rolloverWh: 1_000_000_000_000,
  reads: [
    { atMs: T0, registerWh: 999_999_999_900, flags: [] },
    { atMs: T0 + 3_600_000, registerWh: 400, flags: ['ESTIMATED'] },
  ],
};

describe('MeterMessageCodec', () => {
  const codec = new MeterMessageCodec();

  it('round-trips an interval batch', () => {
    expect(codec.decode(codec.encodeInterval(intervalBatch))).toEqual({
      kind: 'interval',
      batch: intervalBatch,
    });
  });

  it('round-trips a register-read batch', () => {
    expect(codec.decode(codec.encodeRegister(registerBatch))).toEqual({
      kind: 'register',
      batch: registerBatch,
    });
  });

  it('reads what the interval-only codec wrote, and a v1 interval writer', () => {
    const fromIntervalCodec = new IntervalBatchCodec().encode(intervalBatch);
    expect(codec.decode(fromIntervalCodec).kind).toBe('interval');
    const v1 = loadSchema('interval-reading-batch.v1.avsc');
    const bytes = new SingleObjectCodec([v1]).encodeAs(v1, {
      messageId: 'm-old',
      headEndId: 'he-1',
      meteringPointId: intervalBatch.meteringPointId,
      direction: 'CONSUMPTION',
      resolution: 'PT15M',
      sentAt: T0,
      intervals: [],
    });
    const decoded = codec.decode(bytes);
    expect(decoded.kind === 'interval' && decoded.batch.dataStatus).toBe('preliminary');
  });

  it('knows distinct fingerprints for the three families', () => {
    expect(new Set(codec.knownFingerprints).size).toBe(4);
  });

  it('rejects garbage and unknown writer schemas as poison', () => {
    expect(() => codec.decode(Buffer.from('{"json":true}'))).toThrow(PoisonMessageError);
    const bytes = codec.encodeRegister(registerBatch);
    bytes.writeUInt8(bytes.readUInt8(5) ^ 0xff, 5);
    expect(() => codec.decode(bytes)).toThrow(/unknown writer schema fingerprint/);
  });

  it('rejects a truncated register body as poison', () => {
    const bytes = codec.encodeRegister(registerBatch);
    expect(() => codec.decode(bytes.subarray(0, bytes.length - 3))).toThrow(PoisonMessageError);
  });
});

import { type IntervalBatch, PoisonMessageError } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { INTERVAL_BATCH_VERSIONS, IntervalBatchCodec, loadSchema } from './interval-batch-codec.js';
import { SingleObjectCodec } from './single-object-codec.js';

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
    expect(codec.decode(bytes)).toEqual({ ...batch, dataStatus: 'preliminary' });
  });

  it('round-trips a final batch', () => {
    const final: IntervalBatch = { ...batch, dataStatus: 'final' };
    expect(codec.decode(codec.encode(final))).toEqual(final);
  });

  it('reads a message from a v1 writer as preliminary', () => {
    const v1 = loadSchema('interval-reading-batch.v1.avsc');
    const raw = new SingleObjectCodec(INTERVAL_BATCH_VERSIONS.map(loadSchema));
    const bytes = raw.encodeAs(v1, {
      messageId: 'm-old',
      headEndId: 'he-1',
      meteringPointId: batch.meteringPointId,
      direction: 'CONSUMPTION',
      resolution: 'PT1H',
      sentAt: batch.sentAtMs,
      intervals: [{ start: batch.sentAtMs, quantityWh: 500, flags: ['ESTIMATED'] }],
    });
    const v1Fingerprint = SingleObjectCodec.fingerprintOf(bytes);
    expect(v1Fingerprint).not.toBe(SingleObjectCodec.fingerprintOf(codec.encode(batch)));
    expect(codec.knownFingerprints).toContain(v1Fingerprint);
    expect(codec.decode(bytes)).toEqual({
      messageId: 'm-old',
      headEndId: 'he-1',
      meteringPointId: batch.meteringPointId,
      direction: 'consumption',
      resolution: 'PT1H',
      sentAtMs: batch.sentAtMs,
      intervals: [{ startMs: batch.sentAtMs, quantityWh: 500, flags: ['ESTIMATED'] }],
      dataStatus: 'preliminary',
    });
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

describe('a flipped array count', () => {
  it('is refused at once instead of read until the heap runs out', async () => {
    const avro = (await import('avsc')).default;
    const codec = new IntervalBatchCodec();
    const good = codec.encode(batch);
    // The intervals' block count follows the header fields; find it by re-encoding a copy
    // with no intervals: the bytes differ from there on.
    const empty = codec.encode({ ...batch, intervals: [] });
    let at = 0;
    while (good[at] === empty[at]) at++;
    const huge = avro.Type.forSchema('long').toBuffer(2 ** 24);
    const bad = Buffer.concat([good.subarray(0, at), huge, good.subarray(at + 1)]);
    const started = Date.now();
    expect(() => codec.decode(bad)).toThrow(PoisonMessageError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(codec.decode(good)).toEqual({ ...batch, dataStatus: 'preliminary' });
  });
});

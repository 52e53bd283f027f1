import type { IntervalBatch } from '@lukema/core';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { boundedArrays } from './bounded-arrays.js';
import { INTERVAL_BATCH_VERSIONS, loadSchema } from './interval-batch-codec.js';
import { leanIntervalReader } from './lean-interval-reader.js';

const FLAGS = ['ESTIMATED', 'MISSING', 'CLOCK_INVALID', 'POWER_DOWN', 'CRITICAL_ERROR'];

/** A deterministic pseudo-random record: values of every size, nulls, flags, negatives. */
function record(seed: number, withStatus: boolean) {
  let s = seed;
  const next = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const big = [0, 1, -1, 63, 64, -65, 2 ** 31, -(2 ** 31) - 1, 2 ** 40 + 7, 2 ** 52, -(2 ** 52)];
  const intervals = Array.from({ length: Math.floor(next() * 60) }, (_, k) => ({
    start: 1_767_225_600_000 + (k - 10) * 900_000 + (next() < 0.1 ? 1 : 0),
    quantityWh:
      next() < 0.05 ? null : next() < 0.2 ? (big[k % big.length] ?? 0) : Math.floor(next() * 5000),
    flags: next() < 0.1 ? FLAGS.filter(() => next() < 0.4) : [],
  }));
  return {
    messageId: `m-${seed}-ä€`,
    headEndId: seed % 2 ? 'he' : '',
    meteringPointId: '643007574000138589',
    direction: seed % 3 ? 'CONSUMPTION' : 'PRODUCTION',
    resolution: seed % 4 ? 'PT15M' : 'PT1H',
    sentAt: 1_767_225_600_000 + seed,
    intervals,
    ...(withStatus ? { dataStatus: seed % 5 ? 'PRELIMINARY' : 'FINAL' } : {}),
  };
}

describe('leanIntervalReader', () => {
  for (const [version, file] of INTERVAL_BATCH_VERSIONS.entries()) {
    const schema = loadSchema(file);
    const type = avro.Type.forSchema(schema as avro.Schema, boundedArrays());
    const read = leanIntervalReader(schema);
    const withStatus = version > 0;

    it(`reads ${file} bodies as avsc reads them`, () => {
      expect(read).toBeDefined();
      for (let seed = 1; seed <= 300; seed++) {
        const r = record(seed, withStatus);
        const body = type.toBuffer(r);
        const viaAvsc = type.fromBuffer(body) as ReturnType<typeof record>;
        const expected: IntervalBatch = {
          messageId: viaAvsc.messageId,
          headEndId: viaAvsc.headEndId,
          meteringPointId: viaAvsc.meteringPointId,
          direction: viaAvsc.direction === 'CONSUMPTION' ? 'consumption' : 'production',
          resolution: viaAvsc.resolution as IntervalBatch['resolution'],
          sentAtMs: viaAvsc.sentAt,
          intervals: viaAvsc.intervals.map((i) => ({
            startMs: i.start,
            quantityWh: i.quantityWh,
            flags: i.flags as IntervalBatch['intervals'][number]['flags'],
          })),
          dataStatus: viaAvsc.dataStatus === 'FINAL' ? 'final' : 'preliminary',
        };
        expect(read?.(body)).toEqual(expected);
      }
    });

    it(`reads a damaged ${file} body as avsc does, or leaves it to avsc (undefined)`, () => {
      const body = type.toBuffer(record(7, withStatus));
      for (let cut = 0; cut < body.length; cut++) {
        expect(read?.(body.subarray(0, cut))).toBeUndefined();
      }
      expect(read?.(Buffer.concat([body, Buffer.from([0])]))).toBeUndefined();
      // Every byte flipped to values that break varints, counts, unions and enums.
      for (let at = 0; at < body.length; at++) {
        for (const byte of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
          const damaged = Buffer.from(body);
          damaged[at] = byte;
          let viaAvsc: unknown;
          try {
            const { value, offset } = type.decode(damaged, 0);
            viaAvsc = offset === damaged.length ? value : undefined;
          } catch {
            viaAvsc = undefined;
          }
          const lean = read?.(damaged);
          if (viaAvsc === undefined) expect(lean).toBeUndefined();
          else if (lean !== undefined) {
            const v = viaAvsc as ReturnType<typeof record>;
            expect(lean.messageId).toBe(v.messageId);
            expect(lean.sentAtMs).toBe(v.sentAt);
            expect(lean.intervals.map((i) => [i.startMs, i.quantityWh, [...i.flags]])).toEqual(
              v.intervals.map((i) => [i.start, i.quantityWh, i.flags]),
            );
          }
        }
      }
    });
  }

  it('reads no schema of another layout', () => {
    expect(leanIntervalReader(loadSchema('register-read-batch.v1.avsc'))).toBeUndefined();
  });
});

import { type ConsumedMessage, WriteRejectedError } from '@lukema/platform';
import { describe, expect, it } from 'vitest';
import { badRequestReason, writeIsolatingBadLines } from './bad-lines.js';

describe('badRequestReason', () => {
  it("keeps InfluxDB's reason and leaves the quoted line out", () => {
    const reply = JSON.stringify({
      code: 'invalid',
      message:
        "unable to parse 'energy,pseudonym=3f2a kwh=1 9000000000000000': time outside range -1 - 1\nunable to parse 'x': missing field value",
    });
    expect(badRequestReason(reply)).toBe(
      'InfluxDB refused the reading as a bad request: unable to parse the line: time outside range -1 - 1',
    );
    expect(badRequestReason('plain text')).toBe(
      'InfluxDB refused the reading as a bad request: plain text',
    );
  });
});

describe('writeIsolatingBadLines', () => {
  it('sets aside a line InfluxDB refuses with a 422 that is not about retention, as with a 400', async () => {
    const lines = ['energy,p=a kwh=1 1000', 'energy,p=a kwh=2i 2000', 'energy,p=a kwh=3 3000'];
    const body = Buffer.from(`${lines.join('\n')}\n`);
    const marks: number[] = [];
    let end = 0;
    for (const line of lines) {
      end += line.length + 1;
      marks.push(end);
    }
    const sources = lines.map((_, i) => ({ offset: String(i) }) as unknown as ConsumedMessage);
    const written: string[] = [];
    const conflict =
      '{"code":"unprocessable entity","message":"partial write: field type conflict: input field \\"kwh\\" on measurement \\"energy\\" is type integer, already exists as type float dropped=1"}';
    const result = await writeIsolatingBadLines(
      { body, count: lines.length, marks, sources },
      async (chunk) => {
        const text = chunk.body.toString('utf8');
        if (text.includes('2i')) throw new WriteRejectedError(422, conflict);
        written.push(...text.trimEnd().split('\n'));
        return { written: chunk.count, droppedOutsideRetention: 0 };
      },
    );
    expect(written.sort()).toEqual([lines[0], lines[2]]);
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]?.message).toBe(sources[1]);
    expect(result.refused[0]?.startMs).toBe(2000);
    expect(result.refused[0]?.reason).toMatch(/field type conflict/);
  });
});

import { describe, expect, it } from 'vitest';
import { badRequestReason } from './bad-lines.js';

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

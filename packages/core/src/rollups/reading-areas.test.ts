import { describe, expect, it } from 'vitest';
import { withAreas } from './reading-areas.js';

describe('withAreas', () => {
  it("gives each reading its pseudonym's area, unknown when the registry has none", () => {
    const r = {
      commodity: 'electricity',
      direction: 'consumption',
      resolution: 'PT15M',
      timeMs: 0,
      kwh: 1,
      quality: 'measured',
    };
    const out = withAreas(
      [
        { ...r, pseudonym: 'a' },
        { ...r, pseudonym: 'b' },
      ],
      new Map([['a', '001xx']]),
    );
    expect(out.map((x) => [x.pseudonym, x.area])).toEqual([
      ['a', '001xx'],
      ['b', 'unknown'],
    ]);
  });
});

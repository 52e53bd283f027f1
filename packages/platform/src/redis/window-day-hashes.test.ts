import { describe, expect, it } from 'vitest';
import { dayHashNamer } from './window-day-hashes.js';

describe('dayHashNamer', () => {
  it('names the UTC day of a start, the same name each time', () => {
    const name = dayHashNamer('p:w');
    const day = Date.UTC(2026, 9, 1);
    expect(name(day)).toBe('p:w:2026-10-01');
    expect(name(day + 86_399_999)).toBe('p:w:2026-10-01');
    expect(name(day + 86_400_000)).toBe('p:w:2026-10-02');
    expect(name(day - 1)).toBe('p:w:2026-09-30');
    expect(name(day)).toBe('p:w:2026-10-01');
    expect(name(-1)).toBe('p:w:1969-12-31');
  });
});

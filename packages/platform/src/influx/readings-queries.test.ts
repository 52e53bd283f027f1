// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Flux interpolation text is what these cases are about
import { describe, expect, it } from 'vitest';
import { InvalidQueryValueError } from './invalid-query-value-error.js';
import {
  dailyConsumptionFlux,
  pseudonymDeletePredicates,
  seriesDeletePredicate,
  seriesReadingsFlux,
  storedPointsFlux,
} from './readings-queries.js';

const P = '0123456789abcdef0123456789abcdef';
const window = { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 8) };

describe('readings queries', () => {
  it('sums consumption per series and local day, with the bucket escaped', () => {
    const flux = dailyConsumptionFlux('b"${x}', window);
    expect(flux).toContain('from(bucket: "b\\"\\x24{x}")');
    expect(flux).toContain(
      'range(start: 2026-11-01T00:00:00.000Z, stop: 2026-11-08T00:00:00.000Z)',
    );
    expect(flux).toContain('r._field == "kwh" and r.d == "c")');
    expect(flux).toContain('group(columns: ["p"])');
    // Finnish local days, labelled by their start.
    expect(flux).toContain(
      'timeSrc: "_start", location: timezone.location(name: "Europe/Helsinki")',
    );
  });

  it('never builds a query around an empty window', () => {
    expect(() => dailyConsumptionFlux('b', { fromMs: window.toMs, toMs: window.fromMs })).toThrow(
      'to must be after from',
    );
  });

  it('takes only pseudonyms of their shape for series reads and deletes', () => {
    expect(seriesReadingsFlux('b', P, window.fromMs, null)).toContain(`r.p == "${P}"`);
    expect(storedPointsFlux('b', P)).toContain(`r.p == "${P}"`);
    expect(seriesDeletePredicate(P)).toBe(`_measurement="energy" AND p="${P}"`);
    const injected = `${P}" OR pseudonym != "`;
    expect(() => seriesReadingsFlux('b', injected, 0, null)).toThrow(InvalidQueryValueError);
    expect(() => storedPointsFlux('b', injected)).toThrow(InvalidQueryValueError);
    expect(() => seriesDeletePredicate(injected)).toThrow(InvalidQueryValueError);
    expect(pseudonymDeletePredicates(P)).toEqual([`p="${P}"`, `pseudonym="${P}"`]);
    expect(() => pseudonymDeletePredicates(injected)).toThrow(InvalidQueryValueError);
  });
});

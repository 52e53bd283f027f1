import { helsinkiDateStart } from '@lukema/core';

/**
 * The time window of an analytics query, from its `from` and `to` parameters: ISO dates
 * (`2026-11-01`, midnight in Helsinki: analytics days are Finnish local days) or date-times with a zone (`2026-11-01T00:00:00Z`), from 1970
 * up to 2200, `to` after `from`, at most 366 days apart. Returns the window, or the reason
 * it is refused (a clear message for a 400; it never repeats the values).
 */
export const ISO_INSTANT =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$';

const INSTANT = new RegExp(ISO_INSTANT);
const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);
export const MAX_WINDOW_DAYS = 366;

/** Date.parse rolls 2026-02-30 over to March: a calendar date must read back as written. */
function isCalendarDate(ymd: string): boolean {
  const ms = Date.parse(`${ymd}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(ymd);
}

function instant(value: string): number | undefined {
  if (!INSTANT.test(value) || !isCalendarDate(value.slice(0, 10))) return undefined;
  if (value.length === 10) return helsinkiDateStart(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function analyticsWindow(
  from: string,
  to: string,
): { fromMs: number; toMs: number } | { problem: string } {
  const fromMs = instant(from);
  const toMs = instant(to);
  if (fromMs === undefined || toMs === undefined) {
    return { problem: 'from and to must be ISO dates (2026-11-01) or date-times with a zone' };
  }
  if (fromMs < MIN_MS || toMs > MAX_MS) {
    return { problem: 'from and to must lie between 1970-01-01 and 2200-01-01' };
  }
  if (toMs <= fromMs) return { problem: 'to must be after from' };
  if (toMs - fromMs > MAX_WINDOW_DAYS * 86_400_000) {
    return { problem: `from and to may be at most ${MAX_WINDOW_DAYS} days apart` };
  }
  return { fromMs, toMs };
}

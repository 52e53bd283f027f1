/**
 * Load shapes for simulated sites. Each returns the mean power in watts at a UTC instant;
 * Finnish local time is approximated as UTC+2 for the daily shape.
 */

export type ProfileKind = 'household' | 'electric-heating' | 'solar';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function localHour(ms: number): number {
  return ((((ms + 2 * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

/** 1 in midwinter (mid-January), -1 in midsummer. */
function winterness(ms: number): number {
  const dayOfYear = (((ms / DAY_MS) % 365.25) + 365.25) % 365.25;
  return Math.cos(((dayOfYear - 15) / 365.25) * 2 * Math.PI);
}

function bump(hour: number, centre: number, width: number): number {
  const d = Math.min(Math.abs(hour - centre), 24 - Math.abs(hour - centre));
  return Math.exp(-(d * d) / (2 * width * width));
}

/** Mean consumption/production in watts for a site of `scale` (1 = a typical one). */
export function meanWatts(kind: ProfileKind, ms: number, scale: number): number {
  const h = localHour(ms);
  const w = winterness(ms);
  switch (kind) {
    case 'household':
      return scale * (250 + 500 * bump(h, 8, 1.5) + 900 * bump(h, 19, 2.5) + 150 * w);
    case 'electric-heating':
      return (
        scale * (600 + 2600 * Math.max(0, w + 0.3) + 700 * bump(h, 22, 2) + 500 * bump(h, 7, 1.5))
      );
    case 'solar': {
      // Daylight length and peak grow towards midsummer.
      const halfDay = 4 + (5 * (1 - w)) / 2;
      const sun = Math.max(0, Math.cos(((h - 13) / halfDay) * (Math.PI / 2)));
      return scale * 4500 * sun * (0.25 + (0.75 * (1 - w)) / 2);
    }
  }
}

/** Energy in watt-hours for an interval, with noise from `rnd` in [0, 1). */
export function intervalWh(
  kind: ProfileKind,
  startMs: number,
  lengthMs: number,
  scale: number,
  rnd: number,
): number {
  const watts = meanWatts(kind, startMs + lengthMs / 2, scale);
  const noisy = watts * (0.75 + 0.5 * rnd);
  return Math.max(0, Math.round((noisy * lengthMs) / HOUR_MS));
}

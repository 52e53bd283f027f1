import { describe, expect, it } from 'vitest';
import {
  expectedIntervals,
  helsinkiDayStart,
  hoursOfLines,
  nextHelsinkiDay,
  type RawReading,
  rollupDays,
  rollupHours,
  rollupLine,
  weakerQuality,
} from './rollup.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 27, 22); // 28 Nov 2026 00:00 Helsinki
const tags = {
  pseudonym: '0123456789abcdef0123456789abcdef',
  area: '001xx',
  commodity: 'electricity',
  direction: 'consumption',
  resolution: 'PT15M',
};
const q = (minute: number, kwh: number | null, quality = 'measured'): RawReading => ({
  ...tags,
  timeMs: T0 + minute * 60_000,
  kwh,
  quality,
});

describe('rollups', () => {
  it('sums an hour, counts its intervals and keeps the weakest quality', () => {
    const [hour] = rollupHours([
      q(0, 1),
      q(15, 2),
      q(30, null, 'missing'),
      q(45, 0.5, 'estimated'),
    ]);
    expect(hour).toMatchObject({ startMs: T0, kwh: 3.5, intervals: 4, quality: 'missing' });
    const [drift] = rollupHours([q(0, 0.9), q(15, 0.901), q(30, 0.902), q(45, 0.903)]);
    expect(drift?.kwh).toBe(3.606);
    const [estimated] = rollupHours([q(0, 1), q(15, 1, 'estimated'), q(30, 1), q(45, 1)]);
    expect(estimated?.quality).toBe('estimated');
    expect(weakerQuality('measured', 'suspect')).toBe('suspect');
  });

  it('says missing for an hour or a day short of an interval that never arrived', () => {
    // Three of an hour's four quarter-hours arrived, all measured.
    const [short] = rollupHours([q(0, 1), q(15, 1), q(30, 1)]);
    expect(short).toMatchObject({ kwh: 3, intervals: 3, quality: 'missing' });
    const [partial] = rollupHours([q(0, 1), q(15, 1, 'estimated')]);
    expect(partial?.quality).toBe('missing');
    // A full hour of PT1H is one interval; PT15M needs four.
    const hourly = { ...q(0, 1), resolution: 'PT1H' };
    expect(rollupHours([hourly])[0]?.quality).toBe('measured');
    expect(expectedIntervals('PT15M', H)).toBe(4);
    expect(expectedIntervals('PT5M', H)).toBeUndefined();
  });

  it('says measured for a complete local day of 23, 24 or 25 hours, missing one short', () => {
    const full = (dayStart: number, hours: number) =>
      Array.from({ length: hours * 4 }, (_, i) => ({ ...q(0, 1), timeMs: dayStart + i * 900_000 }));
    const spring = Date.UTC(2026, 2, 28, 22); // 29 Mar 2026: 23 hours
    const autumn = Date.UTC(2026, 9, 24, 21); // 25 Oct 2026: 25 hours
    for (const [start, hours] of [
      [T0, 24],
      [spring, 23],
      [autumn, 25],
    ] as const) {
      const [day] = rollupDays(rollupHours(full(start, hours)));
      expect(day).toMatchObject({ startMs: start, intervals: hours * 4, quality: 'measured' });
      // One hour absent altogether: no hourly point says so, the day does.
      const gap = full(start, hours).filter(
        (r) => r.timeMs < start + H || r.timeMs >= start + 2 * H,
      );
      const [short] = rollupDays(rollupHours(gap));
      expect(short).toMatchObject({ intervals: (hours - 1) * 4, quality: 'missing' });
    }
    // The hours of a PT1H series: 24 intervals make its day.
    const hourly = Array.from({ length: 24 }, (_, i) => ({
      ...q(0, 1),
      resolution: 'PT1H',
      timeMs: T0 + i * H,
    }));
    expect(rollupDays(rollupHours(hourly))[0]?.quality).toBe('measured');
  });

  it('adds hours into Finnish local days', () => {
    const hours = rollupHours([q(0, 1), q(60 * 23 + 45, 2), q(60 * 24, 4)]);
    const days = rollupDays(hours).sort((a, b) => a.startMs - b.startMs);
    expect(days.map((d) => [d.startMs, d.kwh, d.intervals])).toEqual([
      [T0, 3, 2],
      [T0 + 24 * H, 4, 1],
    ]);
  });

  it('finds local midnights across DST changes (23- and 25-hour days)', () => {
    // 25 Oct 2026 (25 hours) starts at 24 Oct 21:00 UTC (EEST); the next day at 25 Oct 22:00.
    const autumn = Date.UTC(2026, 9, 24, 21);
    expect(helsinkiDayStart(autumn + 24 * H)).toBe(autumn);
    expect(nextHelsinkiDay(autumn)).toBe(autumn + 25 * H);
    // 29 Mar 2026 (23 hours) starts at 28 Mar 22:00 UTC (EET).
    const spring = Date.UTC(2026, 2, 28, 22);
    expect(helsinkiDayStart(spring + 22 * H)).toBe(spring);
    expect(nextHelsinkiDay(spring)).toBe(spring + 23 * H);
  });

  it('writes a rollup line and reads back the hours a body touches', () => {
    const line = rollupLine('energy_1h', {
      ...tags,
      startMs: T0,
      kwh: null,
      intervals: 4,
      quality: 'missing',
    });
    expect(line).toBe(
      `energy_1h,area=001xx,commodity=electricity,direction=consumption,pseudonym=${tags.pseudonym},resolution=PT15M intervals=4i,quality="missing" ${T0}`,
    );
    const body = `a,x=1 kwh=1 ${T0 + 5}\nb,y=2 v="a b" ${T0 + 2 * H + 1}\n`;
    expect([...hoursOfLines(Buffer.from(body))].sort()).toEqual([T0, T0 + 2 * H]);
  });

  it('reads the hours of every line from the bytes, as a string reading would', () => {
    const byStrings = (text: string) => {
      const hours = new Set<number>();
      for (const line of text.split('\n')) {
        const ts = Number(line.slice(line.lastIndexOf(' ') + 1));
        if (line.length > 0 && Number.isSafeInteger(ts)) hours.add(ts - (ts % H));
      }
      return [...hours].sort((a, b) => a - b);
    };
    const lines: string[] = [];
    for (let i = 0; i < 500; i++) {
      const ts = T0 + ((i * 7919) % 97) * 900_000 + (i % 3);
      lines.push(
        i % 50 === 0
          ? `energy,pseudonym=p${i} w=${i}i ${ts}`
          : `energy,area=00 1xx,pseudonym=p${i} kwh=${i / 1000},flags="a b" ${ts}`,
      );
    }
    lines.push(`energy,pseudonym=old kwh=1 -${H + 5}`, 'energy,pseudonym=x kwh=1 notatime', '');
    const body = `${lines.join('\n')}\n`;
    const expected = byStrings(body);
    expect(expected.length).toBeGreaterThan(20);
    expect([...hoursOfLines(Buffer.from(body))].sort((a, b) => a - b)).toEqual(expected);
    expect([...hoursOfLines(body)].sort((a, b) => a - b)).toEqual(expected);
    expect([...hoursOfLines(Buffer.alloc(0))]).toEqual([]);
  });
});

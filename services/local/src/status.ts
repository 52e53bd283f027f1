import { fmt } from './progress.js';

/** What the live status line shows, sampled about once a second. */
export interface StatusSample {
  readonly atMs: number;
  /** Readings the simulated head-end has published, and its phase (`backlog`, `live`). */
  readonly produced: number;
  readonly phase: string;
  /** Messages on the readings topic not yet committed by the ingest group. */
  readonly lag: number | null;
  /** Readings stored, parked and pushes dead-lettered, from the ingest worker's metrics. */
  readonly stored: number | null;
  readonly parked: number | null;
  readonly deadLettered: number | null;
  /** Services ready / started. */
  readonly ready: number;
  readonly services: number;
}

const rate = (now: number | null, before: number | null, seconds: number) =>
  now === null || before === null || seconds <= 0 ? null : Math.max(0, (now - before) / seconds);

const show = (n: number | null) => (n === null ? '–' : fmt(n));

/** One short line: the rates since the previous sample, then the levels. */
export function statusLine(now: StatusSample, before: StatusSample | undefined): string {
  const seconds = before ? (now.atMs - before.atMs) / 1000 : 0;
  const parts = [
    `${now.ready}/${now.services} ready`,
    `head-end ${now.phase} ${show(rate(now.produced, before?.produced ?? null, seconds))}/s`,
    `stored ${show(rate(now.stored, before?.stored ?? null, seconds))}/s`,
    `lag ${show(now.lag)}`,
    `parked ${show(now.parked)}`,
    `dead-lettered ${show(now.deadLettered)}`,
  ];
  return parts.join(' · ');
}

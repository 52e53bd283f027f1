/**
 * Quality classes for validated intervals, and how head-end status flags map onto them.
 */
import type { HeadEndFlag } from '../reading.js';

export type Quality = 'measured' | 'estimated' | 'missing' | 'suspect';

/** Flags the validation itself adds, beside the lowercased head-end flags. */
export const VALIDATION_FLAGS = [
  'corrected',
  'future',
  'negative',
  'not_finite',
  'off_grid',
  'spike',
] as const;
export type ValidationFlag = (typeof VALIDATION_FLAGS)[number];

/** Validation flags that make an interval suspect; 'corrected' is information only. */
const SUSPECT_VALIDATION_FLAGS: ReadonlySet<ValidationFlag> = new Set([
  'future',
  'negative',
  'not_finite',
  'off_grid',
  'spike',
]);

// Clock and device faults mean the meter itself doubts the value, so it must not be billed
// as measured; CLOCK_ADJUSTED only says the clock was set, the value is still good.
const SUSPECT_HEAD_END_FLAGS: ReadonlySet<HeadEndFlag> = new Set([
  'CLOCK_INVALID',
  'DATA_NOT_VALID',
  'CRITICAL_ERROR',
  'POWER_DOWN',
]);
const ESTIMATED_HEAD_END_FLAGS: ReadonlySet<HeadEndFlag> = new Set([
  'ESTIMATED',
  'RECOVERED_VALUE',
]);

const QUALITY_RANK: Record<Quality, number> = { measured: 0, estimated: 1, suspect: 2, missing: 3 };

/** Returns the worse of two qualities, by the precedence missing > suspect > estimated > measured. */
export function worseQuality(a: Quality, b: Quality): Quality {
  return QUALITY_RANK[a] >= QUALITY_RANK[b] ? a : b;
}

/**
 * Derives the quality of one interval from its value, its head-end flags and the flags
 * validation added. Never throws.
 */
export function qualityOf(
  quantityWh: number | null,
  headEndFlags: readonly HeadEndFlag[],
  validationFlags: readonly ValidationFlag[] = [],
): Quality {
  if (quantityWh === null) return 'missing';
  let quality: Quality = 'measured';
  for (const flag of headEndFlags) {
    if (flag === 'MISSING') return 'missing';
    if (SUSPECT_HEAD_END_FLAGS.has(flag)) quality = worseQuality(quality, 'suspect');
    else if (ESTIMATED_HEAD_END_FLAGS.has(flag)) quality = worseQuality(quality, 'estimated');
  }
  if (validationFlags.some((flag) => SUSPECT_VALIDATION_FLAGS.has(flag))) {
    quality = worseQuality(quality, 'suspect');
  }
  return quality;
}

/**
 * Merges head-end and validation flags into the sorted, unique, lower_snake_case list that
 * downstream consumers compare as plain strings. Never throws.
 */
export function flagNames(
  headEndFlags: readonly HeadEndFlag[],
  validationFlags: readonly ValidationFlag[],
): string[] {
  const names = new Set<string>(validationFlags);
  for (const flag of headEndFlags) names.add(flag.toLowerCase());
  return [...names].sort();
}

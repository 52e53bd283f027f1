import { gsrnFromBody } from '@lukema/core';
import type { ProfileKind } from './profiles.js';
import { seededRandom } from './random.js';

export interface SimulatedSite {
  readonly meteringPointId: string;
  readonly profile: Exclude<ProfileKind, 'solar'>;
  /** Has rooftop solar: a production series beside consumption. */
  readonly solar: boolean;
  readonly scale: number;
  /** Postal code of the site (coarse area, used by the simulated customer system). */
  readonly postalCode: string;
}

const POSTAL_CODES = [
  '00100',
  '00520',
  '02100',
  '20100',
  '33100',
  '40100',
  '70100',
  '90100',
  '96100',
];

/** GSRN of simulated site `index`: Finnish prefix 643, a fixed simulator range, check digit. */
export function simulatedGsrn(index: number): string {
  return gsrnFromBody(`6430099${String(index).padStart(10, '0')}`);
}

/** A reproducible population: ~70 % households, ~30 % electric heating, ~15 % with solar. */
export function simulatedPopulation(count: number, seed = 1): SimulatedSite[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => ({
    meteringPointId: simulatedGsrn(index),
    profile: rnd() < 0.7 ? 'household' : 'electric-heating',
    solar: rnd() < 0.15,
    scale: 0.5 + rnd() * 1.5,
    postalCode: POSTAL_CODES[Math.floor(rnd() * POSTAL_CODES.length)] ?? '00100',
  }));
}

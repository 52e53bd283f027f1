import type { ContractEvent } from '@lukema/core';
import {
  type SimulatedMessage,
  type SimulatedSite,
  simulate,
  simulatedContracts,
  simulatedPopulation,
} from '@lukema/headend-sim';
import { IntervalBatchCodec } from '@lukema/schemas';

const DAY_MS = 86_400_000;

/** A simulated population over `days` from `fromMs`: its contracts and the pushes it sends. */
export function generatedWorld(options: {
  readonly sites: number;
  readonly seed: number;
  readonly fromMs: number;
  readonly days: number;
  readonly moveShare: number;
  readonly vacancyShare: number;
  readonly badShare: number;
  readonly lateShare: number;
}): { population: SimulatedSite[]; contracts: ContractEvent[]; messages: SimulatedMessage[] } {
  const { seed, fromMs } = options;
  const toMs = fromMs + options.days * DAY_MS;
  const population = simulatedPopulation(options.sites, seed);
  const contracts = simulatedContracts(population, {
    fromMs,
    toMs,
    moveShare: options.moveShare,
    vacancyShare: options.vacancyShare,
    seed,
  });
  const messages = [
    ...simulate(new IntervalBatchCodec(), {
      sites: population,
      fromMs,
      toMs,
      badShare: options.badShare,
      lateShare: options.lateShare,
      seed,
    }),
  ];
  return { population, contracts, messages };
}

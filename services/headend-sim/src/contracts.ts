import type { ContractEvent } from '@lukema/core';
import type { SimulatedSite } from './population.js';
import { seededRandom } from './random.js';

export interface ContractPlanOptions {
  /** Period in which moves happen. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Share of sites whose occupant moves out during the period, 0..1. */
  readonly moveShare: number;
  /** Share of moves followed by a vacancy of 1–5 days before the next occupant. */
  readonly vacancyShare: number;
  readonly seed: number;
}

const DAY_MS = 86_400_000;

/** A Finnish calendar date (YYYY-MM-DD) for the day containing an instant (UTC+2 approx.). */
function finnishDate(ms: number): string {
  return new Date(ms + 2 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * What the customer system would publish for a simulated population: one contract per
 * occupant, move-outs and move-ins on calendar dates, some with vacancies between.
 */
export function simulatedContracts(
  sites: readonly SimulatedSite[],
  options: ContractPlanOptions,
): ContractEvent[] {
  const rnd = seededRandom(options.seed ^ 0x5eed);
  const events: ContractEvent[] = [];
  const days = Math.max(1, Math.floor((options.toMs - options.fromMs) / DAY_MS));
  sites.forEach((site, index) => {
    const base = {
      siteId: `SITE-${index}`,
      postalCode: site.postalCode,
      meteringPointIds: [site.meteringPointId],
      status: 'active' as const,
      updatedAt: new Date(options.fromMs).toISOString(),
    };
    const firstCustomer = String(100_000 + index * 2);
    if (rnd() >= options.moveShare) {
      events.push({
        ...base,
        contractId: `K-${index}-1`,
        customerId: firstCustomer,
        startDate: '2020-01-01',
        endDate: null,
      });
      return;
    }
    const moveMs = options.fromMs + (1 + Math.floor(rnd() * (days - 1))) * DAY_MS;
    const moveOut = finnishDate(moveMs);
    const vacancyDays = rnd() < options.vacancyShare ? 1 + Math.floor(rnd() * 5) : 0;
    const moveIn = finnishDate(moveMs + vacancyDays * DAY_MS);
    events.push({
      ...base,
      contractId: `K-${index}-1`,
      customerId: firstCustomer,
      startDate: '2020-01-01',
      endDate: moveOut,
    });
    events.push({
      ...base,
      contractId: `K-${index}-2`,
      customerId: String(100_000 + index * 2 + 1),
      startDate: moveIn,
      endDate: null,
    });
  });
  return events;
}

/** The contract events as Kafka messages (key: contract id, JSON value). */
export function contractMessages(events: readonly ContractEvent[]) {
  return events.map((e) => ({ key: e.contractId, value: JSON.stringify(e) }));
}

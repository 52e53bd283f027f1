import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * A service's metrics: its own (all named `lukema_…`, base units, counters ending in
 * `_total`) and the process's standard ones (`process_…`, `nodejs_…`, named as every
 * Prometheus dashboard expects). Labels hold fixed words only: never a customer, pseudonym,
 * metering point or any value taken from a request.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * A counter read from a number the service already keeps (a worker's stats), which only
 * grows within the process: sampled when Prometheus scrapes.
 */
export function statCounter(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** Seconds buckets from 5 ms to 30 s, for writes and requests. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const histogram = (
  registry: Registry,
  name: string,
  help: string,
  buckets: number[],
  labelNames: string[] = [],
) => new Histogram({ name, help, buckets, labelNames, registers: [registry] });

export const counter = (
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[] = [],
) => new Counter({ name, help, labelNames, registers: [registry] });

export const gauge = (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
  new Gauge({ name, help, labelNames, registers: [registry] });

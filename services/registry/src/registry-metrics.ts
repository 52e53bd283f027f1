import { type Registry, statCounter } from '@lukema/platform';
import type { RegistryStats } from './registry-service.js';

/** The registry's counts, sampled from its stats when Prometheus scrapes. */
export function registryMetrics(registry: Registry, stats: () => RegistryStats): void {
  const stat = (name: string, help: string, read: (s: RegistryStats) => number) =>
    statCounter(registry, name, help, () => read(stats()));
  stat(
    'lukema_registry_contracts_applied_total',
    'Contract events applied (new, changed or ended contracts)',
    (s) => s.contracts,
  );
  stat('lukema_registry_objections_applied_total', 'Objections stored', (s) => s.objections);
  stat(
    'lukema_registry_rectifications_total',
    'Contract changes that moved stored readings between owners',
    (s) => s.rectified,
  );
  stat(
    'lukema_registry_events_dead_lettered_total',
    'Registry events that can never be applied, set aside with their reason',
    (s) => s.rejected,
  );
  stat(
    'lukema_registry_parked_released_total',
    'Parked readings sent back for ingest once their contract arrived',
    (s) => s.released,
  );
}

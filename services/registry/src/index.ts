export { CustomerKeyStore } from './customer-key-store.js';
export { createEraser, type ErasureDeps } from './erasure.js';
export { type MigrateLayoutReport, migrateLayout } from './migrate-layout.js';
export { type ErasedPeriod, withoutErasedReadings } from './parked-erasure.js';
export { createRegistryAudit, type RegistryAudit } from './registry-audit.js';
export {
  attachmentChanged,
  createRegistryService,
  type RegistryHooks,
  type RegistryServiceOptions,
  type RegistryStats,
  storedContract,
} from './registry-service.js';
export { createRegistry } from './wiring.js';

export { auditWritesCounter, meteredAuditLog } from './audit-metrics.js';
export { influxCheck, kafkaCheck, redisCheck } from './engine-checks.js';
export { consumerGroupLag } from './group-lag.js';
export {
  Counter,
  counter,
  createMetricsRegistry,
  Gauge,
  gauge,
  Histogram,
  histogram,
  LATENCY_BUCKETS,
  Registry,
  statCounter,
} from './metrics-registry.js';
export { createOpsServer, opsHandlers } from './ops-server.js';
export { checkReadiness, type EngineCheck, type Readiness } from './readiness.js';
export { reasonLabel } from './reason-label.js';
export {
  probeReadiness,
  prometheusScrapes,
  type ScrapeState,
  type ServiceReadiness,
  scrubReason,
} from './service-status.js';

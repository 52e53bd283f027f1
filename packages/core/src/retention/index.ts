export {
  drifts,
  parseRetentionPolicy,
  RETENTION_STORES,
  type RetentionObservation,
  RetentionPolicyError,
  type RetentionRule,
  type RetentionStore,
  retentionReport,
} from './retention-policy.js';

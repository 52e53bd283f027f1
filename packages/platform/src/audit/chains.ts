/**
 * The audit chains, one per writer (a chain has a single writer: see KafkaAuditLog):
 * `api` the rights API, `registry` the registry's rectifications and erasures, `admin` the
 * CLI's token creation and revocation. Each lives on the topic `<LUKEMA_TOPIC_AUDIT>.<chain>`.
 */
export const AUDIT_CHAINS = ['api', 'registry', 'admin'] as const;
export type AuditChain = (typeof AUDIT_CHAINS)[number];

/** The topic of one audit chain. */
export function auditTopic(base: string, chain: AuditChain): string {
  return `${base}.${chain}`;
}

import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import type { AuditLog } from '../audit/ports.js';

/** One counter of audit appends per process, by chain and outcome. */
export function auditWritesCounter(registry: Registry): Counter {
  return new Counter({
    name: 'lukema_audit_writes_total',
    help: 'Audit entries appended (written) or not (failed: refused or not durable), by chain',
    labelNames: ['chain', 'outcome'],
    registers: [registry],
  });
}

/** The same audit log, counting each append on `counter` under `chain` (api, registry, admin). */
export function meteredAuditLog(log: AuditLog, counter: Counter, chain: string): AuditLog {
  return {
    async append(entry) {
      try {
        const record = await log.append(entry);
        counter.inc({ chain, outcome: 'written' });
        return record;
      } catch (error) {
        counter.inc({ chain, outcome: 'failed' });
        throw error;
      }
    },
    records: () => log.records(),
    head: () => log.head(),
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { checkReadiness, type EngineCheck } from './readiness.js';

/**
 * What `/metrics`, `/livez` and `/readyz` answer, for a service with or without its own HTTP
 * server. Readiness is also a metric, `lukema_engine_up{engine}` (1 when the engine answered
 * at the scrape), so Prometheus can alert on a service that is up but not ready.
 */
export function opsHandlers(registry: Registry, checks: readonly EngineCheck[]) {
  new Gauge({
    name: 'lukema_engine_up',
    help: 'Whether an engine this service depends on answered (1) or not (0) at the scrape',
    labelNames: ['engine'],
    registers: [registry],
    async collect() {
      const r = await checkReadiness(checks);
      for (const c of checks) this.set({ engine: c.name }, c.name in r.reasons ? 0 : 1);
    },
  });
  return {
    async metrics() {
      return { status: 200, type: registry.contentType, body: await registry.metrics() };
    },
    livez() {
      return { status: 200, type: 'application/json', body: JSON.stringify({ live: true }) };
    },
    async readyz() {
      const r = await checkReadiness(checks);
      return {
        status: r.ready ? 200 : 503,
        type: 'application/json',
        body: JSON.stringify(r),
      };
    },
  };
}

/**
 * A small HTTP server for a service that has none of its own (ingest, registry): metrics
 * for Prometheus, liveness and readiness for a supervisor or orchestrator. Loopback unless
 * `host` says otherwise (a container binds 0.0.0.0).
 */
export function createOpsServer(options: {
  readonly port: number;
  readonly host?: string;
  readonly registry: Registry;
  readonly checks: readonly EngineCheck[];
  readonly logger: Logger;
}) {
  const handlers = opsHandlers(options.registry, options.checks);
  const log = options.logger.child({ component: 'ops-server' });
  let server: Server | undefined;
  return {
    /** @throws when the port is taken. */
    start(): Promise<AddressInfo> {
      server = createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        const route =
          path === '/metrics'
            ? handlers.metrics()
            : path === '/livez'
              ? handlers.livez()
              : path === '/readyz'
                ? handlers.readyz()
                : { status: 404, type: 'text/plain', body: 'not found\n' };
        void Promise.resolve(route)
          .then((r) => {
            res.writeHead(r.status, { 'content-type': r.type });
            res.end(r.body);
          })
          .catch((error: unknown) => {
            log.error({ err: error }, 'ops endpoint failed');
            res.writeHead(500).end();
          });
      });
      const s = server;
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(options.port, options.host ?? '127.0.0.1', () => {
          log.info({ address: s.address() }, 'metrics and health endpoints listening');
          resolve(s.address() as AddressInfo);
        });
      });
    },
    stop(): Promise<void> {
      const s = server;
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}

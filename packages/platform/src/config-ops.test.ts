import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('metrics and health ports', () => {
  it('default to loopback 18091 (ingest) and 18092 (registry), each configurable', () => {
    expect(loadConfig({ LUKEMA_DATA: '/d' }).ops).toMatchObject({
      prometheusUrl: 'http://127.0.0.1:19090',
      prometheusTargetsDir: '/d/prometheus/targets',
      host: '127.0.0.1',
      ingestPort: 18091,
      registryPort: 18092,
    });
    const c = loadConfig({
      PROMETHEUS_PORT: '24390',
      LUKEMA_DATA: '/d',
      LUKEMA_LISTEN_HOST: '0.0.0.0',
      LUKEMA_INGEST_METRICS_PORT: '0',
      LUKEMA_REGISTRY_METRICS_PORT: '24392',
    });
    expect(c.ops).toMatchObject({
      prometheusUrl: 'http://127.0.0.1:24390',
      prometheusTargetsDir: '/d/prometheus/targets',
      host: '0.0.0.0',
      ingestPort: 0,
      registryPort: 24392,
    });
  });

  it('refuse a port out of range, naming the variable', () => {
    expect(() => loadConfig({ LUKEMA_INGEST_METRICS_PORT: '70000' })).toThrow(
      /LUKEMA_INGEST_METRICS_PORT/,
    );
  });
});

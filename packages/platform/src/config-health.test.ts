import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('LUKEMA_HEALTH_URLS (the services the operations page asks)', () => {
  it('defaults to the API, the registry and one ingest worker at the ports npm start uses', () => {
    expect(loadConfig({ LUKEMA_DATA: '/d' }).ops.healthTargets).toEqual([
      { name: 'api', url: 'http://127.0.0.1:18080' },
      { name: 'registry', url: 'http://127.0.0.1:18092' },
      { name: 'ingest', url: 'http://127.0.0.1:18091' },
    ]);
    const moved = loadConfig({
      LUKEMA_LISTEN_HOST: '0.0.0.0',
      LUKEMA_API_PORT: '24380',
      LUKEMA_INGEST_METRICS_PORT: '24391',
      LUKEMA_REGISTRY_METRICS_PORT: '24392',
    });
    expect(moved.ops.healthTargets.map((t) => t.url)).toEqual([
      'http://127.0.0.1:24380',
      'http://127.0.0.1:24392',
      'http://127.0.0.1:24391',
    ]);
  });

  it('takes name=url pairs, and refuses a malformed one naming the variable', () => {
    expect(
      loadConfig({
        LUKEMA_HEALTH_URLS: 'api=http://a:1, ingest-1=http://b:2/ ,ingest-2=https://c:3',
      }).ops.healthTargets,
    ).toEqual([
      { name: 'api', url: 'http://a:1' },
      { name: 'ingest-1', url: 'http://b:2' },
      { name: 'ingest-2', url: 'https://c:3' },
    ]);
    expect(() => loadConfig({ LUKEMA_HEALTH_URLS: 'http://a:1' })).toThrow(/LUKEMA_HEALTH_URLS/);
    expect(() => loadConfig({ LUKEMA_HEALTH_URLS: 'api=ftp://a' })).toThrow(
      /LUKEMA_HEALTH_URLS: api: .* not an http/,
    );
    expect(() => loadConfig({ LUKEMA_HEALTH_URLS: 'a=http://x,a=http://y' })).toThrow(/twice/);
  });
});

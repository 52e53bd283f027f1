import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '@lukema/platform';
import { topicPlan } from '@lukema/provision/plan';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promtool } from '../support/prometheus.js';

// Docker cannot run on the development machines: these checks keep the compose file, the
// Dockerfile and the scripts from drifting apart instead.
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const cache = process.env.LUKEMA_CACHE ?? join(process.env.HOME ?? '', '.cache', 'lukema');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  secrets?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}
const compose = parse(read('infra/docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;
const lukemaServices = Object.entries(services).filter(([, s]) => s.build !== undefined);

/** The default a script gives a variable: `NAME="${NAME:-value}"` in infra/*.sh. */
function scriptDefault(file: string, name: string): string {
  const m = new RegExp(`${name}="\\$\\{${name}:-([^}]+)\\}"`).exec(read(file));
  if (!m?.[1]) throw new Error(`${file} has no default for ${name}`);
  return m[1];
}
const hostPort = (service: string) =>
  services[service]?.ports?.map((p) => p.split(':')).find((p) => p.length === 3)?.[1];
const envOf = (s: ComposeService) =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));

/** The entrypoint's commands and the file each one runs. */
const entries = new Map(
  [
    ...read('infra/docker/entrypoint.sh').matchAll(
      /^\s+([a-z-]+)\) exec node .*?(services\/\S+\.ts)/gm,
    ),
  ].map((m) => [m[1] ?? '', m[2] ?? '']),
);

describe('infra/docker-compose.yml matches the scripts and the config', () => {
  it('publishes each engine and the API on the scripts’ default ports', () => {
    const defaults = loadConfig({});
    expect(hostPort('kafka')).toBe(scriptDefault('infra/lib.sh', 'KAFKA_PORT'));
    expect(hostPort('influxdb')).toBe(scriptDefault('infra/lib.sh', 'INFLUXDB_PORT'));
    expect(hostPort('redis')).toBe(scriptDefault('infra/lib.sh', 'REDIS_PORT'));
    expect(hostPort('prometheus')).toBe(scriptDefault('infra/lib.sh', 'PROMETHEUS_PORT'));
    expect(hostPort('api')).toBe(String(defaults.api.port));
    expect(scriptDefault('infra/lib.sh', 'LUKEMA_API_PORT')).toBe(String(defaults.api.port));
    expect(scriptDefault('infra/lib.sh', 'LUKEMA_INGEST_METRICS_PORT')).toBe(
      String(defaults.ops.ingestPort),
    );
    expect(scriptDefault('infra/lib.sh', 'LUKEMA_REGISTRY_METRICS_PORT')).toBe(
      String(defaults.ops.registryPort),
    );
  });

  it('runs the engine versions the scripts install', () => {
    expect(services.kafka?.image).toBe(
      `apache/kafka:${scriptDefault('infra/lib.sh', 'KAFKA_VERSION')}`,
    );
    expect(services.influxdb?.image).toBe(
      `influxdb:${scriptDefault('infra/lib.sh', 'INFLUXDB_VERSION').replace(/^v/, '')}`,
    );
    expect(services.redis?.image).toMatch(/^redis:7\./);
    expect(services.prometheus?.image).toMatch(/^prom\/prometheus:v2\.42\./);
    expect(services.influxdb?.environment?.DOCKER_INFLUXDB_INIT_ORG).toBe(
      scriptDefault('infra/lib.sh', 'INFLUXDB_ORG'),
    );
  });

  it('gives every Lukema service variables the config accepts, with the default topics and partitions', () => {
    const defaults = loadConfig({});
    expect(lukemaServices.map(([name]) => name).sort()).toEqual([
      'api',
      'headend-sim',
      'ingest',
      'provision',
      'registry',
      'rollup',
    ]);
    for (const [name, service] of lukemaServices) {
      let config: Config | undefined;
      expect(() => {
        config = loadConfig(envOf(service));
      }, name).not.toThrow();
      expect(config?.kafka.topics, name).toEqual(defaults.kafka.topics);
      expect(config?.kafka.brokers, name).toEqual(['kafka:9092']);
      expect(config?.ops.host, name).toBe('0.0.0.0');
      expect(config && topicPlan(config), name).toEqual(topicPlan(defaults));
    }
    expect(Number(services.kafka?.environment?.KAFKA_NUM_PARTITIONS)).toBe(
      defaults.kafka.partitions,
    );
    // The brokers the services use are a listener Kafka advertises to containers.
    expect(String(services.kafka?.environment?.KAFKA_ADVERTISED_LISTENERS)).toContain(
      '//kafka:9092',
    );
  });

  it('starts each service by an entrypoint command, after provisioning, with a health check on its /readyz', () => {
    const ports: Record<string, number> = {
      registry: loadConfig({}).ops.registryPort,
      ingest: loadConfig({}).ops.ingestPort,
      api: loadConfig({}).api.port,
    };
    for (const [name, service] of lukemaServices) {
      const command = service.command ?? [];
      const entry =
        command[0] === 'sh' ? /exec lukema (\S+)/.exec(command[2] ?? '')?.[1] : command[0];
      expect(entries.has(entry ?? ''), `${name}: ${command.join(' ')}`).toBe(true);
      expect(existsSync(join(root, entries.get(entry ?? '') ?? '')), name).toBe(true);
    }
    for (const [name, port] of Object.entries(ports)) {
      const service = services[name];
      expect(service?.depends_on?.provision?.condition, name).toBe(
        'service_completed_successfully',
      );
      expect(service?.healthcheck?.test.join(' '), name).toContain(`127.0.0.1:${port}/readyz`);
      expect(
        envOf(service ?? {})[
          name === 'api' ? 'LUKEMA_API_PORT' : `LUKEMA_${name.toUpperCase()}_METRICS_PORT`
        ],
      ).toBe(String(port));
    }
    for (const engine of ['kafka', 'influxdb', 'redis', 'prometheus']) {
      expect(services[engine]?.healthcheck, engine).toBeDefined();
      expect(
        services.provision?.depends_on?.[engine === 'prometheus' ? 'kafka' : engine]?.condition,
      ).toBe('service_healthy');
    }
  });

  it('protects Redis with a password from a secret, never on a command line, and hands it to every service', () => {
    const redisCommand = services.redis?.command?.join(' ') ?? '';
    expect(redisCommand).toContain("printf 'requirepass %s\\n'");
    expect(redisCommand).toContain('/run/secrets/redis-password');
    expect(redisCommand).not.toMatch(/--requirepass/);
    expect(services.redis?.secrets).toContain('redis-password');
    for (const [name, service] of lukemaServices) {
      expect(envOf(service).LUKEMA_REDIS_PASSWORD_FILE, name).toBe('/run/secrets/redis-password');
      expect(service.secrets, name).toContain('redis-password');
      expect(service.secrets, name).toContain('lukema-keyring');
    }
    for (const secret of Object.values(compose.secrets))
      expect(secret.file).toMatch(/^\$\{LUKEMA_SECRETS/);
  });

  it('scrapes every service at its port with the repo’s rules, in a configuration promtool accepts', async () => {
    const prometheus = parse(read('infra/prometheus/prometheus.docker.yml')) as {
      rule_files: string[];
      scrape_configs: { dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const scraped = Object.fromEntries(
      prometheus.scrape_configs.flatMap((c) => c.dns_sd_configs.map((d) => [d.names[0], d.port])),
    );
    const defaults = loadConfig({});
    expect(scraped).toEqual({
      ingest: defaults.ops.ingestPort,
      registry: defaults.ops.registryPort,
      api: defaults.api.port,
    });
    const check = await promtool(
      cache,
      ['check', 'config', 'infra/prometheus/prometheus.docker.yml'],
      root,
    );
    console.log(`promtool check config (exit ${check.code}):\n${check.output}`);
    expect(check.code).toBe(0);
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('builds in stages, installs every workspace, and runs as a non-root user through the entrypoint', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const dirs = workspaces.flatMap((w) =>
      w.endsWith('/*')
        ? readdirSync(join(root, w.slice(0, -2)))
            .map((d) => `${w.slice(0, -2)}/${d}`)
            .filter((d) => existsSync(join(root, d, 'package.json')))
        : [w],
    );
    for (const dir of dirs) expect(dockerfile, dir).toContain(`COPY ${dir}/package.json ${dir}/`);
    const lastStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(lastStage).toMatch(/^USER node$/m);
    expect(lastStage).toContain('ENTRYPOINT ["/usr/local/bin/lukema"]');
    expect(lastStage).toContain('COPY infra/docker/entrypoint.sh /usr/local/bin/lukema');
  });
});

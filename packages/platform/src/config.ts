import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { type HealthTarget, parseHealthUrls } from './health-targets.js';

/** Thrown by loadConfig with every problem found, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** An OIDC setting that the issuer makes necessary. @throws ConfigError naming it. */
const required = (value: string | undefined, name: string): string => {
  if (value === undefined)
    throw new ConfigError([`${name}: required when LUKEMA_OIDC_ISSUER is set`]);
  return value;
};

const int = (def: number) => z.coerce.number().int().positive().default(def);
const str = (def: string) => z.string().min(1).default(def);
/** A TCP port; 0 lets the system pick a free one. */
const port = (def: number) => z.coerce.number().int().min(0).max(65_535).default(def);

function defaultDataDir(env: Record<string, string | undefined>): string {
  const cache = env.LUKEMA_CACHE ?? join(homedir(), '.cache', 'lukema');
  return env.LUKEMA_DATA ?? join(cache, 'data');
}

/**
 * Every LUKEMA_* variable the services read; anything else with the prefix is refused.
 * The infra scripts' port variables (KAFKA_PORT, INFLUXDB_PORT, REDIS_PORT) set the
 * defaults, so the services find the local stack wherever the scripts put it.
 */
const envSchema = (env: Record<string, string | undefined>) =>
  z
    .object({
      LUKEMA_CACHE: z.string().optional(),
      LUKEMA_DATA: z.string().optional(),
      LUKEMA_LOG_LEVEL: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
      LUKEMA_KAFKA_BROKERS: str(`127.0.0.1:${env.KAFKA_PORT ?? '19092'}`),
      LUKEMA_KAFKA_CLIENT_ID: str('lukema'),
      LUKEMA_CONSUMER_MAX_RESTARTS: int(5),
      LUKEMA_TOPIC_READINGS: str('meter.readings.v1'),
      LUKEMA_TOPIC_DEAD_LETTER: str('meter.readings.dead-letter.v1'),
      LUKEMA_TOPIC_PARTITIONS: int(4),
      LUKEMA_TOPIC_CONTRACTS: str('customer.contracts.v1'),
      LUKEMA_TOPIC_CONTRACTS_DEAD_LETTER: str('customer.contracts.dead-letter.v1'),
      LUKEMA_TOPIC_CUSTOMER_KEYS: str('lukema.customer-keys.v1'),
      LUKEMA_TOPIC_OBJECTIONS: str('customer.objections.v1'),
      LUKEMA_TOPIC_ERASURES: str('lukema.erasures.v1'),
      LUKEMA_TOPIC_CORRECTIONS: str('lukema.reading-corrections.v1'),
      LUKEMA_API_PORT: int(18080),
      LUKEMA_API_URL: z.url().optional(),
      LUKEMA_API_TOKEN: z.string().min(1).optional(),
      LUKEMA_API_TOKEN_TTL_DAYS: int(90),
      // The customer's page signs in through the utility's identity provider when set.
      LUKEMA_OIDC_ISSUER: z.url().optional(),
      LUKEMA_OIDC_CLIENT_ID: z.string().min(1).optional(),
      LUKEMA_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
      LUKEMA_OIDC_REDIRECT_URL: z.url().optional(),
      LUKEMA_OIDC_IDENTITY_CLAIM: z.string().min(1).default('personal_identity_code'),
      // The privacy notice promises no group below five customers and no customer above
      // 15 % of a group: configuration may tighten the rules, never loosen them.
      LUKEMA_ANALYTICS_MIN_GROUP_SIZE: z.coerce.number().int().min(5).default(5),
      LUKEMA_ANALYTICS_DOMINANCE_PERCENT: z.coerce.number().gt(0).max(15).default(15),
      // Per-series rows one analytics read may hold (~200 B each): coarse areas over long
      // ranges are refused with advice instead of filling the API's memory.
      LUKEMA_ANALYTICS_MAX_ROWS: int(1_000_000),
      LUKEMA_DP_EPSILON: z.coerce.number().gt(0).max(10).default(0.5),
      LUKEMA_DP_BUDGET: z.coerce.number().gt(0).default(5),
      LUKEMA_DP_CLAMP_KWH: z.coerce.number().gt(0).default(100),
      // A customer's sites may lie in several areas (home, summer cottage): each is a group.
      LUKEMA_DP_AREAS_PER_CUSTOMER: int(2),
      LUKEMA_TOPIC_AUDIT: str('lukema.audit.v1'),
      LUKEMA_REGISTRY_GROUP: str('lukema-registry'),
      LUKEMA_REDIS_PREFIX: str('lukema'),
      LUKEMA_KEYRING_FILE: z.string().min(1).optional(),
      LUKEMA_KEYRING: z.string().min(1).optional(),
      LUKEMA_INGEST_GROUP: str('lukema-ingest'),
      // Four partitions at once and four writes in flight keep InfluxDB fed while a batch waits
      // on Redis, its writes or its commit (measured: README, Benchmark).
      LUKEMA_INGEST_PARTITIONS_CONCURRENTLY: int(4),
      // A fetch is mapped whole: 256 KiB a partition (~750 pushes) keeps what one batch holds
      // in the young generation, which halved the worker's GC time (see README, Benchmark).
      LUKEMA_INGEST_FETCH_KB_PER_PARTITION: int(256),
      LUKEMA_INGEST_FUTURE_HORIZON_HOURS: int(24),
      LUKEMA_INFLUX_URL: z.url().default(`http://127.0.0.1:${env.INFLUXDB_PORT ?? '18086'}`),
      LUKEMA_INFLUX_ORG: str('lukema'),
      LUKEMA_INFLUX_TOKEN: z.string().min(1).optional(),
      LUKEMA_INFLUX_BUCKET_READINGS: str('readings'),
      LUKEMA_INFLUX_BUCKET_ROLLUPS: str('rollups'),
      LUKEMA_ROLLUP_INTERVAL_SECONDS: int(30),
      LUKEMA_ROLLUP_SETTLE_SECONDS: int(120),
      LUKEMA_INFLUX_BATCH_LINES: int(5000),
      LUKEMA_INFLUX_MAX_IN_FLIGHT: int(4),
      // 0: uncompressed, for InfluxDB on the same host (README, Benchmark); 1 over a network.
      LUKEMA_INFLUX_WRITE_GZIP_LEVEL: z.coerce.number().int().min(0).max(9).default(0),
      LUKEMA_REDIS_URL: str(`redis://127.0.0.1:${env.REDIS_PORT ?? '16379'}`),
      LUKEMA_REDIS_PASSWORD: z.string().min(1).optional(),
      LUKEMA_REDIS_PASSWORD_FILE: z.string().min(1).optional(),
      LUKEMA_LISTEN_HOST: str('127.0.0.1'),
      LUKEMA_PROMETHEUS_URL: z.url().default(`http://127.0.0.1:${env.PROMETHEUS_PORT ?? '19090'}`),
      LUKEMA_INGEST_METRICS_PORT: port(18091),
      LUKEMA_REGISTRY_METRICS_PORT: port(18092),
      LUKEMA_HEALTH_URLS: z.string().min(1).optional(),
    })
    .strict();

export interface Config {
  readonly dataDir: string;
  /**
   * Where the user ran the command (npm's INIT_CWD; npm runs a workspace script inside the
   * workspace): paths a user gives on a command line are taken from there.
   */
  readonly callerDir: string | undefined;
  readonly logLevel: string;
  readonly kafka: {
    readonly brokers: string[];
    readonly clientId: string;
    /** Crashes in a row a consumer restarts from before the service exits non-zero. */
    readonly consumerMaxRestarts: number;
    readonly partitions: number;
    readonly topics: {
      readonly readings: string;
      readonly deadLetter: string;
      readonly contracts: string;
      readonly contractsDeadLetter: string;
      readonly customerKeys: string;
      readonly objections: string;
      /** Erasure requests from the rights API, carried out by the registry. */
      readonly erasures: string;
      /** Corrected reading values seen by the workers, recorded by the registry. */
      readonly corrections: string;
      /** Audit trail base name: each writer appends to its own chain, `<base>.<writer>`. */
      readonly audit: string;
    };
  };
  readonly registry: { readonly group: string; readonly redisPrefix: string };
  /** The rollup service: how often it looks for hours to re-aggregate when idle. */
  readonly rollups: {
    readonly intervalMs: number;
    /** Marks younger than this wait (an ingest write marks as it starts). */
    readonly settleMs: number;
  };
  /** Disclosure control of the analysts' aggregates (k and the dominance share). */
  readonly analytics: {
    /** Least number of distinct customers in a released group. */
    readonly minGroupSize: number;
    /** Largest share of a group's total one customer may hold (0–1). */
    readonly dominanceShare: number;
    /** Most per-series rows one analytics read may return (coarser areas, exact fallbacks). */
    readonly maxSeriesRows: number;
    /** Differential privacy for market research. */
    readonly privacy: {
      /** Epsilon each query spends. */
      readonly epsilonPerQuery: number;
      /** Total epsilon per API token and purpose. */
      readonly budget: number;
      /** Each customer's kWh per group is clamped to [0, clampKwh]. */
      readonly clampKwh: number;
      /** Most areas one customer's sites can be in: the epsilon is split over them too. */
      readonly areasPerCustomer: number;
    };
  };
  readonly api: {
    readonly port: number;
    readonly exportDir: string;
    /** For the CLI: where the API is, and the caller's token. */
    readonly url: string;
    readonly token: string | undefined;
    /** How long a new API token is valid (default 90 days). */
    readonly tokenTtlMs: number;
    /** OpenID Connect sign-in of the customer's page; absent: one-time links only. */
    readonly oidc?: {
      readonly issuer: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly redirectUrl: string;
      /** The ID token claim holding the personal identity code (strong authentication). */
      readonly identityClaim: string;
    };
  };
  /** The master keyring: inline JSON, or a file outside the repo (never in it). */
  readonly keyring: { readonly inline: string | undefined; readonly file: string };
  readonly ingest: {
    readonly group: string;
    readonly partitionsConcurrently: number;
    /** What one fetch takes per partition, in bytes (a fetched batch is mapped whole). */
    readonly fetchBytesPerPartition: number;
    /** Readings starting later than now + this are dead-lettered (clock-skew allowance). */
    readonly futureHorizonMs: number;
  };
  readonly influx: {
    readonly url: string;
    readonly org: string;
    /** An explicit token; otherwise the role's token file in the local data folder. */
    readonly token: string | undefined;
    readonly tokenDir: string;
    /** Stored readings, and their hourly and daily rollups. */
    readonly buckets: { readonly readings: string; readonly rollups: string };
    readonly batchLines: number;
    readonly maxInFlight: number;
    /** gzip level of the ingest worker's write requests, 1-9; 0 sends them uncompressed. */
    readonly writeGzipLevel: number;
  };
  /**
   * Where services serve `/metrics`, `/livez` and `/readyz`: the API on its own port, ingest
   * and registry on these (0: any free port). Loopback unless a container sets 0.0.0.0.
   */
  readonly ops: {
    /** The local stack's Prometheus (infra/prometheus.sh), and where its targets files live. */
    readonly prometheusUrl: string;
    readonly prometheusTargetsDir: string;
    readonly host: string;
    readonly ingestPort: number;
    readonly registryPort: number;
    /** The services whose readiness the console's operations page shows. */
    readonly healthTargets: readonly HealthTarget[];
  };
  readonly redis: {
    readonly url: string;
    /** An explicit password; otherwise the password file (see readRedisPassword). */
    readonly password: string | undefined;
    /** The local stack's Redis password, written by infra/redis.sh with mode 600. */
    readonly passwordFile: string;
  };
}

/**
 * Parses the environment once, at start. Pure: takes the environment as an argument.
 * @throws ConfigError naming each bad or unknown LUKEMA_* variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const own = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('LUKEMA_') && v !== undefined && v !== ''),
  );
  const parsed = envSchema(env).safeParse(own);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys')
          return `unknown variable(s): ${issue.keys.join(', ')}`;
        return `${issue.path.join('.')}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const dataDir = defaultDataDir(env);
  const healthTargets = parseHealthUrls(e.LUKEMA_HEALTH_URLS, {
    host: e.LUKEMA_LISTEN_HOST,
    api: e.LUKEMA_API_PORT,
    registry: e.LUKEMA_REGISTRY_METRICS_PORT,
    ingest: e.LUKEMA_INGEST_METRICS_PORT,
  });
  if (typeof healthTargets === 'string')
    throw new ConfigError([`LUKEMA_HEALTH_URLS: ${healthTargets}`]);
  return {
    dataDir,
    callerDir: env.INIT_CWD,
    logLevel: e.LUKEMA_LOG_LEVEL,
    kafka: {
      brokers: e.LUKEMA_KAFKA_BROKERS.split(',').map((b) => b.trim()),
      clientId: e.LUKEMA_KAFKA_CLIENT_ID,
      consumerMaxRestarts: e.LUKEMA_CONSUMER_MAX_RESTARTS,
      partitions: e.LUKEMA_TOPIC_PARTITIONS,
      topics: {
        readings: e.LUKEMA_TOPIC_READINGS,
        deadLetter: e.LUKEMA_TOPIC_DEAD_LETTER,
        contracts: e.LUKEMA_TOPIC_CONTRACTS,
        contractsDeadLetter: e.LUKEMA_TOPIC_CONTRACTS_DEAD_LETTER,
        customerKeys: e.LUKEMA_TOPIC_CUSTOMER_KEYS,
        objections: e.LUKEMA_TOPIC_OBJECTIONS,
        erasures: e.LUKEMA_TOPIC_ERASURES,
        corrections: e.LUKEMA_TOPIC_CORRECTIONS,
        audit: e.LUKEMA_TOPIC_AUDIT,
      },
    },
    registry: { group: e.LUKEMA_REGISTRY_GROUP, redisPrefix: e.LUKEMA_REDIS_PREFIX },
    api: {
      port: e.LUKEMA_API_PORT,
      exportDir: join(dataDir, 'exports'),
      url: e.LUKEMA_API_URL ?? `http://127.0.0.1:${e.LUKEMA_API_PORT}`,
      token: e.LUKEMA_API_TOKEN,
      tokenTtlMs: e.LUKEMA_API_TOKEN_TTL_DAYS * 86_400_000,
      ...(e.LUKEMA_OIDC_ISSUER
        ? {
            oidc: {
              issuer: e.LUKEMA_OIDC_ISSUER,
              clientId: required(e.LUKEMA_OIDC_CLIENT_ID, 'LUKEMA_OIDC_CLIENT_ID'),
              clientSecret: required(e.LUKEMA_OIDC_CLIENT_SECRET, 'LUKEMA_OIDC_CLIENT_SECRET'),
              redirectUrl:
                e.LUKEMA_OIDC_REDIRECT_URL ??
                `${e.LUKEMA_API_URL ?? `http://127.0.0.1:${e.LUKEMA_API_PORT}`}/me/oidc/callback`,
              identityClaim: e.LUKEMA_OIDC_IDENTITY_CLAIM,
            },
          }
        : {}),
    },
    rollups: {
      intervalMs: e.LUKEMA_ROLLUP_INTERVAL_SECONDS * 1000,
      settleMs: e.LUKEMA_ROLLUP_SETTLE_SECONDS * 1000,
    },
    analytics: {
      minGroupSize: e.LUKEMA_ANALYTICS_MIN_GROUP_SIZE,
      dominanceShare: e.LUKEMA_ANALYTICS_DOMINANCE_PERCENT / 100,
      maxSeriesRows: e.LUKEMA_ANALYTICS_MAX_ROWS,
      privacy: {
        epsilonPerQuery: e.LUKEMA_DP_EPSILON,
        budget: e.LUKEMA_DP_BUDGET,
        clampKwh: e.LUKEMA_DP_CLAMP_KWH,
        areasPerCustomer: e.LUKEMA_DP_AREAS_PER_CUSTOMER,
      },
    },
    keyring: {
      inline: e.LUKEMA_KEYRING,
      file: e.LUKEMA_KEYRING_FILE ?? join(dataDir, 'secrets', 'keyring.json'),
    },
    ingest: {
      group: e.LUKEMA_INGEST_GROUP,
      partitionsConcurrently: e.LUKEMA_INGEST_PARTITIONS_CONCURRENTLY,
      fetchBytesPerPartition: e.LUKEMA_INGEST_FETCH_KB_PER_PARTITION * 1024,
      futureHorizonMs: e.LUKEMA_INGEST_FUTURE_HORIZON_HOURS * 3_600_000,
    },
    influx: {
      url: e.LUKEMA_INFLUX_URL,
      org: e.LUKEMA_INFLUX_ORG,
      token: e.LUKEMA_INFLUX_TOKEN,
      tokenDir: join(dataDir, 'influxdb'),
      buckets: {
        readings: e.LUKEMA_INFLUX_BUCKET_READINGS,
        rollups: e.LUKEMA_INFLUX_BUCKET_ROLLUPS,
      },
      batchLines: e.LUKEMA_INFLUX_BATCH_LINES,
      maxInFlight: e.LUKEMA_INFLUX_MAX_IN_FLIGHT,
      writeGzipLevel: e.LUKEMA_INFLUX_WRITE_GZIP_LEVEL,
    },
    ops: {
      prometheusUrl: e.LUKEMA_PROMETHEUS_URL,
      prometheusTargetsDir: join(dataDir, 'prometheus', 'targets'),
      host: e.LUKEMA_LISTEN_HOST,
      ingestPort: e.LUKEMA_INGEST_METRICS_PORT,
      registryPort: e.LUKEMA_REGISTRY_METRICS_PORT,
      healthTargets,
    },
    redis: {
      url: e.LUKEMA_REDIS_URL,
      password: e.LUKEMA_REDIS_PASSWORD,
      passwordFile: e.LUKEMA_REDIS_PASSWORD_FILE ?? join(dataDir, 'secrets', 'redis-password'),
    },
  };
}

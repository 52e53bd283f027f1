import {
  type Config,
  type createKafka,
  type DeadLetterCensus,
  deadLetterCensus,
  KafkajsRangeReader,
  KafkajsTopicAdmin,
  type Logger,
  type MessageProducer,
  probeReadiness,
  prometheusScrapes,
  type Redis,
  type ReplayReport,
  readingsReplay,
  replayedLedger,
  type ScrapeState,
  type ServiceReadiness,
} from '@lukema/platform';

/** One consumer group's lag on one topic, as Kafka records it (end − committed offset). */
export interface GroupLag {
  readonly group: string;
  readonly topic: string;
  readonly total: number;
  readonly partitions: Readonly<Record<string, number>>;
}

/** A service's readiness now, with Prometheus' last scrape of it when Prometheus answers. */
export interface ServiceStatus extends ServiceReadiness {
  readonly scrape?: ScrapeState;
}

/** A part of the overview, or why it could not be had (an engine's words, no request data). */
export type Part<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

export interface OperationsOverview {
  readonly services: readonly ServiceStatus[];
  readonly prometheus: Part<{ readonly url: string }>;
  /** Where Prometheus is asked (shown when it does not answer). */
  readonly prometheusUrl: string;
  readonly lag: Part<readonly GroupLag[]>;
  readonly deadLetters: Part<DeadLetterCensus>;
  /** The dead-letter topic a replay reads (the readings'), and where it re-queues to. */
  readonly replayableTopic: string;
  readonly replayTarget: string;
}

/** What the operator's corner reads and does: a port the console and the API route share. */
export interface Operations {
  overview(): Promise<OperationsOverview>;
  /** Replays the readings' dead letters of one reason kind (the CLI's function). */
  replay(kind: string): Promise<ReplayReport>;
}

const within = <T>(ms: number, what: string, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms).unref(),
    ),
  ]);

const part = async <T>(work: Promise<T>): Promise<Part<T>> => {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message.slice(0, 200) : 'failed' };
  }
};

/**
 * The operator's corner from Kafka, Redis and the services' own `/readyz`: lag and dead
 * letters are read from Kafka directly (the same admin calls as the registry's lag metric),
 * so the page works while Prometheus is down; Prometheus only adds when it last scraped
 * each service.
 */
export function createOperations(
  config: Config,
  engines: {
    readonly kafka: ReturnType<typeof createKafka>;
    readonly redis: Redis;
    readonly producer: MessageProducer;
    readonly logger: Logger;
  },
): Operations & { close(): Promise<void> } {
  const admin = new KafkajsTopicAdmin(engines.kafka);
  const topics = config.kafka.topics;
  const groups = [
    { group: config.ingest.group, topic: topics.readings },
    ...[topics.contracts, topics.objections, topics.erasures, topics.corrections].map((topic) => ({
      group: config.registry.group,
      topic,
    })),
  ];
  const replay = readingsReplay(config, engines);

  async function lag(): Promise<GroupLag[]> {
    return Promise.all(
      groups.map(async ({ group, topic }) => {
        const partitions = await admin.partitionLag(group, topic);
        let total = 0;
        for (const behind of partitions.values()) total += behind;
        return {
          group,
          topic,
          total,
          partitions: Object.fromEntries([...partitions].map(([p, n]) => [String(p), n])),
        };
      }),
    );
  }

  async function census(): Promise<DeadLetterCensus> {
    const reader = new KafkajsRangeReader(engines.kafka);
    try {
      return await deadLetterCensus(reader, [
        { topic: topics.deadLetter, replayed: replayedLedger(config, engines.redis) },
        { topic: topics.contractsDeadLetter },
      ]);
    } finally {
      await reader.close();
    }
  }

  return {
    async overview() {
      const [readiness, scrapes, lagPart, letters] = await Promise.all([
        Promise.all(config.ops.healthTargets.map((t) => probeReadiness(t))),
        part(prometheusScrapes(config.ops.prometheusUrl)),
        part(within(10_000, 'Kafka', lag())),
        part(within(30_000, 'Kafka', census())),
      ]);
      const services = readiness.map((r): ServiceStatus => {
        const scrape = scrapes.ok ? scrapes.value.get(new URL(r.url).host) : undefined;
        return scrape ? { ...r, scrape } : r;
      });
      return {
        services,
        prometheus: scrapes.ok
          ? { ok: true, value: { url: config.ops.prometheusUrl } }
          : { ok: false, error: `Prometheus (${config.ops.prometheusUrl}) does not answer` },
        prometheusUrl: config.ops.prometheusUrl,
        lag: lagPart,
        deadLetters: letters,
        replayableTopic: topics.deadLetter,
        replayTarget: topics.readings,
      };
    },
    replay: (kind) => replay({ reasonKind: kind }),
    close: () => admin.close(),
  };
}

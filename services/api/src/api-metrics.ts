import { counter, Gauge, histogram, LATENCY_BUCKETS, type Registry } from '@lukema/platform';
import { Queue, type Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

const EXPORT_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
const OPEN_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The API's metrics: requests by route template and status (never the path itself, which
 * can hold a request id or customer number), export jobs by state, how long exports take,
 * and the age of the oldest open access request (the law allows one month).
 * @returns a close function for the queue handle the collectors read through.
 */
export function apiMetrics(
  registry: Registry,
  deps: {
    readonly app: FastifyInstance;
    readonly worker: Worker;
    readonly connection: Redis;
    readonly queueName: string;
  },
): { close(): Promise<void> } {
  const requests = counter(
    registry,
    'lukema_api_requests_total',
    'HTTP requests answered, by method, route template and status code',
    ['method', 'route', 'status'],
  );
  const duration = histogram(
    registry,
    'lukema_api_request_duration_seconds',
    'Time to answer an HTTP request, by method and route template',
    LATENCY_BUCKETS,
    ['method', 'route'],
  );
  deps.app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  const exportSeconds = histogram(
    registry,
    'lukema_export_duration_seconds',
    'Time an access export took to build, by outcome',
    EXPORT_BUCKETS,
    ['outcome'],
  );
  const finished =
    (outcome: string) => (job: { processedOn?: number; finishedOn?: number } | undefined) => {
      if (job?.processedOn && job.finishedOn)
        exportSeconds.observe({ outcome }, (job.finishedOn - job.processedOn) / 1000);
    };
  deps.worker.on('completed', finished('completed'));
  deps.worker.on('failed', finished('failed'));

  const queue = new Queue(deps.queueName, { connection: deps.connection });
  new Gauge({
    name: 'lukema_export_jobs',
    help: 'Access-export jobs by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'completed',
        'failed',
      );
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'lukema_export_oldest_open_request_age_seconds',
    help: 'Age of the oldest access request not yet delivered (waiting, running or failed); 0 when none',
    registers: [registry],
    async collect() {
      const open = await queue.getJobs([...OPEN_STATES], 0, 999);
      const now = Date.now();
      const oldest = Math.min(...open.map((j) => j.timestamp), now);
      this.set((now - oldest) / 1000);
    },
  });
  return { close: () => queue.close() };
}

import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineUnavailableError } from '@lukema/core';
import { type Job, type JobType, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ExportArchive } from './ports.js';

const ALL_STATES: JobType[] = [
  'active',
  'waiting',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
];

/**
 * The entries of an export folder last changed more than `ageMs` before `nowMs` (none when
 * the folder does not exist): what the sweep removes by age, and what `retention report`
 * counts as drift.
 */
export async function entriesOlderThan(
  dir: string,
  ageMs: number,
  nowMs = Date.now(),
): Promise<string[]> {
  const old: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info && info.mtimeMs + ageMs < nowMs) old.push(name);
  }
  return old;
}

/** The folder of one queue's export files: one per queue, so a sweep touches only its own. */
export function exportFolder(exportDir: string, queueName: string): string {
  return join(exportDir, queueName);
}

/** How long an export in flight may take to notice its cancellation (it checks per series). */
const STOP_WAIT_MS = 60_000;

/**
 * Access exports kept as BullMQ jobs (id = request id, data holding the customer number) and
 * one folder of files per request. The one place that removes them.
 */
export class BullmqExportArchive implements ExportArchive {
  private readonly queue: Queue;

  constructor(
    private readonly deps: {
      /** A connection that waits for Redis (BullMQ's requirement). */
      readonly connection: Redis;
      readonly queueName: string;
      readonly directory: string;
      /** Key prefix of the cancellation flags (see redisKeys().exportCancels). */
      readonly cancelPrefix: string;
    },
  ) {
    this.queue = new Queue(deps.queueName, { connection: deps.connection });
  }

  private cancelKey(requestId: string) {
    return `${this.deps.cancelPrefix}:${requestId}`;
  }

  private async jobs(): Promise<Job[]> {
    return (await this.queue.getJobs(ALL_STATES)).filter((j): j is Job => Boolean(j?.id));
  }

  private async removeJob(job: Job): Promise<void> {
    if ((await job.getState()) === 'active') {
      await this.deps.connection.set(this.cancelKey(job.id as string), '1', 'EX', 3600);
      const deadline = Date.now() + STOP_WAIT_MS;
      while ((await job.getState()) === 'active') {
        if (Date.now() > deadline) {
          throw new EngineUnavailableError('export worker', {
            context: { what: 'cancel export in flight' },
          });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await job.remove();
    await rm(join(this.deps.directory, job.id as string), { recursive: true, force: true });
    await this.deps.connection.del(this.cancelKey(job.id as string));
  }

  async purgeCustomer(customerId: string): Promise<number> {
    try {
      const mine = (await this.jobs()).filter((j) => j.data?.customerId === customerId);
      for (const job of mine) await this.removeJob(job);
      return mine.length;
    } catch (cause) {
      if (cause instanceof EngineUnavailableError) throw cause;
      throw new EngineUnavailableError('redis', { cause, context: { what: 'purge exports' } });
    }
  }

  async sweepExpired(ttlMs: number, nowMs = Date.now()): Promise<number> {
    let removed = 0;
    const known = new Set<string>();
    for (const job of await this.jobs()) {
      if (job.timestamp + ttlMs < nowMs) {
        await this.removeJob(job);
        removed++;
      } else known.add(job.id as string);
    }
    // Folders no job describes (a job removed by hand, a queue emptied): expired by age.
    for (const name of await entriesOlderThan(this.deps.directory, ttlMs, nowMs)) {
      if (known.has(name)) continue;
      await rm(join(this.deps.directory, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  async cancelRequested(requestId: string): Promise<boolean> {
    return (await this.deps.connection.exists(this.cancelKey(requestId))) === 1;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

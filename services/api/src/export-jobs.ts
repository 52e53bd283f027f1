import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Language, LukemaError } from '@lukema/core';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { buildAccessExport, type ExportBuilderDeps, type ExportResult } from './export-builder.js';

export interface ExportJobData {
  readonly requestId: string;
  readonly customerId: string;
  readonly requestedBy: string;
  /** The HTML report's language; the policy's default when absent. */
  readonly language?: Language;
  /** The deadline's extension by two months (Art. 12(3)), with the DPO's recorded reason. */
  readonly extension?: RequestExtension;
  /** When the request was received (before its approval); the job's creation otherwise. */
  readonly receivedAt?: string;
}

export interface RequestExtension {
  readonly at: string;
  readonly reason: string;
}

export interface ExportStatus {
  readonly requestId: string;
  readonly state: string;
  readonly progress: number;
  readonly result?: ExportResult;
  readonly failedReason?: string;
  readonly createdAt: string;
  /** Receipt of the request: the one-month deadline counts from here (Art. 12(3)). */
  readonly receivedAt: string;
  readonly expiresAt: string;
  readonly extension?: RequestExtension;
}

/**
 * Access requests as BullMQ jobs (Redis-backed, so they survive a worker restart): one job
 * id per request, progress reported as the export is built, retry and cancel by id.
 */
export class ExportJobs {
  readonly queue: Queue<ExportJobData, ExportResult>;

  /**
   * @param directory the queue's export folder (`exportFolder`): one folder per request,
   * removed with its job on a cancel.
   */
  constructor(
    connection: Redis,
    queueName: string,
    private readonly ttlMs: number,
    private readonly directory: string,
  ) {
    this.queue = new Queue(queueName, { connection });
  }

  async start(data: ExportJobData): Promise<void> {
    await this.queue.add('access-export', data, {
      jobId: data.requestId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: false,
      removeOnFail: false,
    });
  }

  private toStatus(job: Job<ExportJobData, ExportResult>, state: string): ExportStatus {
    return {
      requestId: job.data.requestId,
      state,
      progress: typeof job.progress === 'number' ? job.progress : 0,
      ...(job.returnvalue ? { result: job.returnvalue } : {}),
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      createdAt: new Date(job.timestamp).toISOString(),
      receivedAt: job.data.receivedAt ?? new Date(job.timestamp).toISOString(),
      expiresAt: new Date(job.timestamp + this.ttlMs).toISOString(),
      ...(job.data.extension ? { extension: job.data.extension } : {}),
    };
  }

  async status(requestId: string): Promise<(ExportStatus & { customerId: string }) | undefined> {
    const job = await this.queue.getJob(requestId);
    if (!job) return undefined;
    const [current, state] = await this.settled(job);
    return { ...this.toStatus(current, state), customerId: current.data.customerId };
  }

  async list(): Promise<ExportStatus[]> {
    const jobs = await this.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    return Promise.all(
      jobs.map(async (j) => {
        const [current, state] = await this.settled(j);
        return this.toStatus(current, state);
      }),
    );
  }

  /**
   * The job with its state, read consistently: a job read just before it finished carries no
   * result yet while its state already says completed (or failed), so it is read again then.
   */
  private async settled(job: Job<ExportJobData, ExportResult>) {
    const state = await job.getState();
    if ((state === 'completed' || state === 'failed') && !job.finishedOn) {
      const again = await this.queue.getJob(job.id ?? '');
      if (again) return [again, state] as const;
    }
    return [job, state] as const;
  }

  async retry(requestId: string): Promise<boolean> {
    const job = await this.queue.getJob(requestId);
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.retry();
    return true;
  }

  /** Extends the request's deadline once; the reason is kept with the request. */
  async extend(
    requestId: string,
    reason: string,
    nowMs = Date.now(),
  ): Promise<'extended' | 'unknown' | 'already extended'> {
    const job = await this.queue.getJob(requestId);
    if (!job) return 'unknown';
    if (job.data.extension) return 'already extended';
    await job.updateData({ ...job.data, extension: { at: new Date(nowMs).toISOString(), reason } });
    return 'extended';
  }

  async cancel(requestId: string): Promise<boolean> {
    const job = await this.queue.getJob(requestId);
    if (!job) return false;
    const state = await job.getState();
    if (state === 'active') return false;
    await job.remove();
    // A finished export's files go with its job: an erasure finds exports by their job, so
    // files left behind would hold the customer's readings out of its reach.
    await rm(join(this.directory, requestId), { recursive: true, force: true });
    return true;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * The worker that builds exports; several may run, each job runs once at a time. An export
 * whose customer is being erased stops at its next progress step (and is not retried).
 */
export function createExportWorker(
  connection: Redis,
  queueName: string,
  deps: ExportBuilderDeps & { readonly cancelled: (requestId: string) => Promise<boolean> },
) {
  return new Worker<ExportJobData, ExportResult>(
    queueName,
    async (job) => {
      try {
        return await buildAccessExport(deps, job.data, async (p) => {
          if (await deps.cancelled(job.data.requestId))
            throw new UnrecoverableError('cancelled: the customer is being erased');
          await job.updateProgress(p);
        });
      } catch (error) {
        // What trying again cannot fix (data still in an earlier layout) fails at once,
        // with its reason for the DPO; an engine that is down is retried.
        if (error instanceof LukemaError && !error.retriable) {
          throw new UnrecoverableError(error.message);
        }
        throw error;
      }
    },
    { connection, concurrency: 1 },
  );
}

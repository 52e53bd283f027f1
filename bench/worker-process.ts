import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times (100 on every common kernel). */
const CLOCK_TICKS_PER_S = 100;

/**
 * Runs the real ingest worker as its own process and samples its peak resident memory. Its
 * stdout is dropped unless BENCH_WORKER_STDOUT is set (e.g. to read `--trace-gc`).
 */
export function runWorkerProcess(
  root: string,
  env: Record<string, string>,
  extraArgs: string[] = [],
) {
  const child = spawn(
    process.execPath,
    [...extraArgs, '--import', 'tsx', 'services/ingest/src/main.ts'],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', process.env.BENCH_WORKER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  /** Peak RSS (VmHWM) in MB, read from /proc while the process lives. */
  const peakRssMb = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    } catch {
      return 0;
    }
  };
  /**
   * CPU time (user + system) the process has used so far, in ms: unlike wall time, what it
   * costs the machine's cores whatever else runs beside it. Read from /proc (clock ticks).
   */
  const cpuMs = () => {
    try {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
    } catch {
      return 0;
    }
  };
  return {
    peakRssMb,
    cpuMs,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Runs the real ingest worker as its own process and samples its peak resident memory. */
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
      stdio: ['ignore', 'ignore', 'inherit'],
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
  return {
    peakRssMb,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

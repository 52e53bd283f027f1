import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePidFile } from './pid-file.js';

export interface ServiceSpec {
  /** Also the name of its log file (`<logDir>/<name>.log`) and pid file. */
  readonly name: string;
  /** Arguments to node, e.g. `['--import', 'tsx', 'services/ingest/src/main.ts']`. */
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Where it serves `/metrics` and `/readyz` (loopback). */
  readonly opsPort?: number;
}

export interface ChildEvents {
  onExit(name: string, code: number | null, signal: string | null, restartInMs: number): void;
  onMessage?(name: string, message: unknown): void;
}

export interface SupervisedChild {
  readonly name: string;
  pid(): number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Runs a service as a child process with its output appended to its log file and its id in
 * a pid file (for `npm stop`). A child that exits on its own with a non-zero code (a
 * consumer that crashed for good) is started again after 1 s, doubling to 30 s; one that
 * ran for a minute starts the count again.
 */
export function superviseChild(
  spec: ServiceSpec,
  dirs: { root: string; logDir: string; runDir: string },
  events: ChildEvents,
): SupervisedChild {
  mkdirSync(dirs.logDir, { recursive: true });
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stopping = false;
  let backoff = 1000;
  let timer: NodeJS.Timeout | undefined;
  const pidFile = join(dirs.runDir, `${spec.name}.pid`);

  const start = () => {
    const log = openSync(join(dirs.logDir, `${spec.name}.log`), 'a');
    const startedAt = Date.now();
    const proc = spawn(process.execPath, spec.args, {
      cwd: dirs.root,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', log, log, 'ipc'],
      // Its own process group: Ctrl-C reaches the supervisor only, which stops the services
      // in order (the feed first) and once each.
      detached: true,
    });
    closeSync(log);
    child = proc;
    if (proc.pid !== undefined) writePidFile(dirs.runDir, spec.name, proc.pid);
    proc.on('message', (message) => events.onMessage?.(spec.name, message));
    exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        rmSync(pidFile, { force: true });
        child = undefined;
        if (Date.now() - startedAt > 60_000) backoff = 1000;
        const restart = !stopping && code !== 0;
        events.onExit(spec.name, code, signal, restart ? backoff : -1);
        if (restart) {
          timer = setTimeout(start, backoff);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
        resolve();
      });
    });
  };
  start();

  return {
    name: spec.name,
    pid: () => child?.pid,
    async stop(graceMs = 30_000) {
      stopping = true;
      clearTimeout(timer);
      const proc = child;
      if (!proc) return;
      proc.kill('SIGTERM');
      const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), empty
 * when it is gone.
 */
export function startTicks(pid: number | 'self' = 'self'): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/**
 * Records a process in `<runDir>/<name>.pid` (its id, then its start time, so that
 * `infra/stop.sh` never signals another process that got the id later). `npm stop` stops
 * exactly the processes recorded there.
 * @throws when the folder cannot be written.
 */
export function writePidFile(runDir: string, name: string, pid: number): string {
  mkdirSync(runDir, { recursive: true });
  const file = join(runDir, `${name}.pid`);
  writeFileSync(file, `${pid}\n${startTicks(pid === process.pid ? 'self' : pid)}\n`);
  return file;
}

/** Records this process (see {@link writePidFile}); the file goes when the process exits. */
export function recordPid(dataDir: string, name: string, runDir = join(dataDir, 'run')): string {
  const file = writePidFile(runDir, name, process.pid);
  process.once('exit', () => rmSync(file, { force: true }));
  return file;
}

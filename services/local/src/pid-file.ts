import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
function startTicks(): string {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

/**
 * Records this process in `<dataDir>/run/<name>.pid` (its id, then its start time, so that
 * `infra/stop.sh` never signals another process that got the id later) and removes the file
 * when the process exits. `npm stop` stops exactly the processes recorded there.
 * @throws when the folder cannot be written.
 */
export function recordPid(dataDir: string, name: string): string {
  const dir = join(dataDir, 'run');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.pid`);
  writeFileSync(file, `${process.pid}\n${startTicks()}\n`);
  process.once('exit', () => rmSync(file, { force: true }));
  return file;
}

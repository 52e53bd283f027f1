import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Stops or starts one engine through the repo's own scripts. The script runs in a session
 * of its own (`setsid --wait`), so an engine it starts is no member of the test run's
 * process group and outlives the run, as one the stack scripts started does: the stack is
 * left as the test found it.
 */
export function engine(
  name: 'kafka' | 'influxdb' | 'redis' | 'prometheus',
  action: 'stop' | 'start',
): void {
  execFileSync('setsid', ['--wait', 'bash', `infra/${name}.sh`, action], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const PID_FILES = {
  kafka: 'kafka/kafka.pid',
  influxdb: 'influxdb/influxd.pid',
  redis: 'redis/redis.pid',
} as const;

/** The session id (field 6 of /proc/<pid>/stat) of a running engine, and of this process. */
export function engineSession(name: keyof typeof PID_FILES, dataDir: string) {
  const session = (pid: string | number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
  };
  const pid = readFileSync(join(dataDir, PID_FILES[name]), 'utf8').trim();
  return { engine: session(pid), test: session('self') };
}

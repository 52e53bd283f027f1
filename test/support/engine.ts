import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Stops or starts one engine through the repo's own scripts. */
export function engine(name: 'kafka' | 'influxdb' | 'redis', action: 'stop' | 'start'): void {
  execFileSync('bash', [`infra/${name}.sh`, action], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

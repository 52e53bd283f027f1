import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts the local stack through the repo's own scripts (installing engines when missing,
 * reusing a running stack) and names the engine versions the tests run against.
 */
export default function setup(): void {
  const t0 = Date.now();
  execFileSync('bash', ['infra/stack.sh', 'up'], { cwd: root, stdio: 'inherit' });
  execFileSync('bash', ['infra/provision.sh'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const versions = execFileSync('bash', ['infra/stack.sh', 'versions'], { cwd: root })
    .toString()
    .trim();
  console.log(`[integration] engines ready in ${Date.now() - t0} ms: ${versions}`);
}

import { lukemaVitest } from '../vitest.shared.js';

// Integration tests share one local stack on a 2-core machine: run files one at a time.
export default lukemaVitest('integration', {
  test: {
    dir: 'integration',
    globalSetup: ['./setup/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});

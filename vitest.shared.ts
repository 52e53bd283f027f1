import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

const resultsDir = fileURLToPath(new URL('./.test-results/', import.meta.url));

/**
 * The vitest settings every workspace package shares: tests beside the code in src/, and a
 * JSON result per package that infra/test-summary.mjs adds up into one closing line.
 */
export function lukemaVitest(pkg: string, overrides: ViteUserConfig = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        dir: 'src',
        // A unit test fails on what it asserts, not on a busy machine's clock: the 210,000-row
        // export tests take ~1 s alone and far longer while turbo runs every package at once.
        testTimeout: 30_000,
        reporters: ['default', ['json', { outputFile: `${resultsDir}${pkg}.json` }]],
      },
    }),
    overrides,
  );
}

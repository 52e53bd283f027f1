import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';

const resultsDir = fileURLToPath(new URL('./.test-results/', import.meta.url));
/**
 * The vitest settings every workspace package shares: tests beside the code in src/, and a
 * JSON result per package that infra/test-summary.mjs adds up into one closing line.
 */
export function lukemaVitest(pkg, overrides = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        dir: 'src',
        reporters: ['default', ['json', { outputFile: `${resultsDir}${pkg}.json` }]],
      },
    }),
    overrides,
  );
}
//# sourceMappingURL=vitest.shared.js.map

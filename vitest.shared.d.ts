import { type ViteUserConfig } from 'vitest/config';
/**
 * The vitest settings every workspace package shares: tests beside the code in src/, and a
 * JSON result per package that infra/test-summary.mjs adds up into one closing line.
 */
export declare function lukemaVitest(pkg: string, overrides?: ViteUserConfig): Record<string, any>;
//# sourceMappingURL=vitest.shared.d.ts.map

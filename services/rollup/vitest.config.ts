import { lukemaVitest } from '../../vitest.shared.js';

export default lukemaVitest('rollup');

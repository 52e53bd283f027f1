export * from './api-token.js';
export * from './authorize.js';
export * from './identity-code.js';
export * from './identity-code-error.js';
export * from './identity-key.js';
export * from './purposes.js';
export * from './roles.js';
export * from './rules.js';

export * from './api-deps.js';
export * from './export-builder.js';
export * from './export-jobs.js';
export * from './objection-filter.js';
export * from './server.js';
export * from './token-store.js';
export * from './wiring.js';

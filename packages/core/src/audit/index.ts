export * from './audit-entry.js';
export * from './audit-filter.js';
export * from './audit-personal-data-error.js';
export * from './canonical-json.js';
export * from './chain.js';
export * from './direct-identifiers.js';

export * from './contract-event.js';
export * from './customer-key-store.js';
export * from './registry-service.js';
export * from './wiring.js';

export * from './bursts.js';
export * from './contracts.js';
export * from './faults.js';
export * from './population.js';
export * from './profiles.js';
export * from './random.js';
export * from './simulate.js';

export * from './clean-push.js';
export * from './dedupe.js';
export * from './gaps.js';
export * from './history.js';
export * from './quality.js';
export * from './spike.js';
export * from './time-screen.js';
export * from './validate-batch.js';

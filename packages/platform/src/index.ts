export * from './config.js';
export * from './influx/influx-client-adapter.js';
export * from './influx/ports.js';
export * from './influx/write-rejected-error.js';
export * from './kafka/kafkajs-adapter.js';
export * from './kafka/ports.js';
export * from './logger.js';
export * from './secrets.js';

import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsLogLevel } from './kafkajs-log.js';

describe('kafkajs log levels', () => {
  it('logs the retried leader and coordinator races at info, marked retried', () => {
    for (const error of [
      'This server is not the leader for that topic-partition',
      'There is no leader for this topic-partition as we are in the middle of a leadership election',
      'The group coordinator is not available',
      'This is not the correct coordinator for this group',
    ]) {
      expect(kafkajsLogLevel(logLevel.ERROR, { error })).toEqual({ level: 'info', retried: true });
    }
  });

  it('keeps other errors and warnings as they are', () => {
    expect(kafkajsLogLevel(logLevel.ERROR, { error: 'Connection timeout' })).toEqual({
      level: 'error',
      retried: false,
    });
    expect(kafkajsLogLevel(logLevel.WARN, {})).toEqual({ level: 'warn', retried: false });
    expect(kafkajsLogLevel(logLevel.INFO, {})).toEqual({ level: 'debug', retried: false });
  });
});

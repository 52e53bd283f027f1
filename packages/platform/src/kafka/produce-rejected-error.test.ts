import { describe, expect, it } from 'vitest';
import { kafkaErrorRetriable } from './produce-rejected-error.js';

describe('kafkaErrorRetriable', () => {
  it('judges by the deepest cause, as kafkajs does', () => {
    const tooLarge = Object.assign(new Error('too large'), { retriable: false });
    const leader = Object.assign(new Error('not the leader'), { retriable: true });
    // kafkajs wraps a retriable error that ran out of retries in a non-retriable one.
    const exhausted = Object.assign(new Error('retries exceeded', { cause: leader }), {
      retriable: false,
    });
    expect(kafkaErrorRetriable(tooLarge)).toBe(false);
    expect(kafkaErrorRetriable(new Error('wrapped', { cause: tooLarge }))).toBe(false);
    expect(kafkaErrorRetriable(exhausted)).toBe(true);
    expect(kafkaErrorRetriable(new Error('connection refused'))).toBe(true);
    expect(kafkaErrorRetriable(null)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { scrubReason } from './service-status.js';

describe('scrubReason', () => {
  it('keeps an engine error and removes what could identify a person', () => {
    expect(scrubReason('influxdb does not answer: connect ECONNREFUSED 127.0.0.1:18086')).toBe(
      'influxdb does not answer: connect ECONNREFUSED 127.0.0.1:18086',
    );
    expect(
      scrubReason('user matti.m@example.fi refused; code 131052-308T; mp 643007574000000013'),
    ).toBe('user [removed] refused; code [removed]; mp [removed]');
    expect(scrubReason('x'.repeat(500))).toHaveLength(200);
  });
});

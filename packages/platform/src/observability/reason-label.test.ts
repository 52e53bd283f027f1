import { describe, expect, it } from 'vitest';
import { reasonLabel } from './reason-label.js';

describe('dead-letter reason labels', () => {
  it('keep the kind of a reason, not its details', () => {
    expect(reasonLabel('unattributable: metering point ID has a wrong check digit')).toBe(
      'unattributable',
    );
    expect(reasonLabel('not Avro single-object encoded (missing C3 01 marker)')).toBe(
      'not avro single-object encoded',
    );
    expect(
      reasonLabel(
        'outside retention policy: InfluxDB refused readings before 2020-01-01T00:00:00Z',
      ),
    ).toBe('outside retention policy');
  });

  it('never carry a number such as a metering point ID', () => {
    expect(reasonLabel('643007574000000017 unknown')).toBe('other');
    expect(reasonLabel('')).toBe('other');
  });
});

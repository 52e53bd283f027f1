import { describe, expect, it } from 'vitest';
import { type StatusSample, statusLine } from './status.js';

const sample: StatusSample = {
  atMs: 10_000,
  produced: 1000,
  phase: 'backlog',
  lag: 12,
  stored: 500,
  parked: 3,
  deadLettered: 1,
  ready: 4,
  services: 4,
};

describe('status line', () => {
  it('shows rates since the previous sample and the levels', () => {
    const next = { ...sample, atMs: 12_000, produced: 3000, stored: 2500, phase: 'live' };
    expect(statusLine(next, sample)).toBe(
      '4/4 ready · head-end live 1,000/s · stored 1,000/s · lag 12 · parked 3 · dead-lettered 1',
    );
  });

  it('shows a dash for what is not known yet', () => {
    expect(statusLine({ ...sample, lag: null, stored: null }, undefined)).toBe(
      '4/4 ready · head-end backlog –/s · stored –/s · lag – · parked 3 · dead-lettered 1',
    );
  });
});

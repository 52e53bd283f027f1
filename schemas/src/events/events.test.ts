import { PoisonMessageError } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { correctionEventValue, parseCorrectionEvent } from './correction-event.js';
import { erasureEventValue, parseErasureEvent } from './erasure-event.js';
import { objectionEventValue, parseObjectionEvent } from './objection-event.js';

describe('the shared event schemas', () => {
  it('round-trips what producers publish through what consumers parse', () => {
    const erasure = { requestId: 'r1', customerId: '100000', requestedAt: '2026-01-01T00:00:00Z' };
    expect(parseErasureEvent(erasureEventValue(erasure))).toEqual(erasure);
    const correction = {
      pseudonym: 'a'.repeat(32),
      windowStart: '2026-01-01T00:00:00Z',
      intervals: 24,
    };
    expect(parseCorrectionEvent(correctionEventValue(correction))).toEqual(correction);
    const objection = parseObjectionEvent(
      objectionEventValue({
        customerId: '100000',
        directMarketingOptOut: true,
        marketResearchOptOut: false,
        updatedAt: '2026-01-01T00:00:00Z',
        source: 'dpo',
      }),
    );
    expect(objection.objections).toEqual({
      directMarketing: true,
      marketResearch: false,
      updatedAt: '2026-01-01T00:00:00Z',
      source: 'dpo',
    });
  });

  it('refuses a malformed event as poison, naming the field and not its value', () => {
    const bad = Buffer.from(JSON.stringify({ requestId: 'r1', customerId: { $gt: '' } }));
    expect(() => parseErasureEvent(bad)).toThrow(PoisonMessageError);
    expect(() => parseErasureEvent(bad)).toThrow(/customerId/);
    expect(() => parseErasureEvent(Buffer.from('{'))).toThrow(/not JSON/);
    // An objection names its customer by the customer number, never an identity code.
    const byCode = Buffer.from(
      JSON.stringify({
        customerId: '131052-308T',
        directMarketingOptOut: true,
        marketResearchOptOut: false,
        updatedAt: '2026-01-01T00:00:00Z',
      }),
    );
    expect(() => parseObjectionEvent(byCode)).toThrow(/customer number/);
    expect(() => parseObjectionEvent(byCode)).not.toThrow(/131052/);
    expect(() => parseCorrectionEvent(null)).toThrow(/empty/);
    expect(() =>
      parseCorrectionEvent(
        JSON.stringify({ pseudonym: 'x', windowStart: 'w', intervals: 1, mp: '6430' }),
      ),
    ).toThrow(/pseudonym/);
  });

  it('refuses to publish an event its consumers would refuse', () => {
    expect(() => erasureEventValue({ requestId: '', customerId: '1', requestedAt: 'now' })).toThrow(
      PoisonMessageError,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { SessionStore, sameSecret } from './sessions.js';

describe('console sessions', () => {
  it('finds a session only by its id and kind, until it is idle too long', () => {
    let now = 0;
    const store = new SessionStore(1000, () => now);
    const s = store.create({ kind: 'customer', customerId: '100000', language: 'fi' });
    expect(store.get(s.id, 'customer')?.customerId).toBe('100000');
    expect(store.get(s.id, 'dpo')).toBeUndefined();
    expect(store.get('other', 'customer')).toBeUndefined();
    now = 900;
    expect(store.get(s.id, 'customer')).toBeDefined();
    now = 1850;
    expect(store.get(s.id, 'customer')).toBeDefined();
    now = 3000;
    expect(store.get(s.id, 'customer')).toBeUndefined();
  });

  it('compares secrets exactly', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});

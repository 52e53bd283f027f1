import { describe, expect, it } from 'vitest';
import { isPurpose, OBJECTION_PURPOSES, PURPOSES } from './purposes.js';
import { ACTIONS, ROLES } from './roles.js';
import { ACTION_PURPOSES, ROLE_ACTIONS } from './rules.js';

describe('purposes', () => {
  it('recognises exactly the listed purposes', () => {
    for (const purpose of PURPOSES) expect(isPurpose(purpose)).toBe(true);
    for (const other of ['', 'Marketing', 'marketing ', 'toString', '__proto__', 'constructor']) {
      expect(isPurpose(other)).toBe(false);
    }
  });

  it('subjects marketing and market research, and nothing else, to the objection right', () => {
    expect([...OBJECTION_PURPOSES].sort()).toEqual(['market_research', 'marketing']);
  });
});

describe('rule tables', () => {
  it('give every role and every action an entry built only from known names', () => {
    expect(Object.keys(ROLE_ACTIONS).sort()).toEqual([...ROLES].sort());
    expect(Object.keys(ACTION_PURPOSES).sort()).toEqual([...ACTIONS].sort());
    for (const purposes of Object.values(ACTION_PURPOSES)) {
      for (const purpose of purposes) expect(isPurpose(purpose)).toBe(true);
    }
  });

  it('lets the dpo do every action, and nobody else anything but their short list', () => {
    expect(ROLE_ACTIONS.dpo.size).toBe(ACTIONS.length);
    expect([...ROLE_ACTIONS.analyst]).toEqual(['analytics.query', 'analytics.series']);
    expect([...ROLE_ACTIONS.processor]).toEqual(['analytics.query']);
    expect([...ROLE_ACTIONS.operator].sort()).toEqual([
      'audit.verify',
      'deadletters.replay',
      'export.list',
    ]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { LANGUAGES, RECEIPT_CHANNELS } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { DONE } from './dpo-requests.js';
import { dpoLanguage, dpoTexts } from './dpo-texts.js';
import { parseUiTexts } from './ui-texts.js';

const texts = parseUiTexts(
  readFileSync(new URL('../../policy/ui-texts.json', import.meta.url), 'utf8'),
);
const DIR = new URL('./', import.meta.url);
/** A text key as a literal in the console's code: `t('queue.title')`, `t(ok ? 'a.b' : 'c.d')`. */
const KEY =
  /'((?:nav|signIn|done|queue|col|status|receive|channel|language|received|subjects|purpose|erase|reid|audit|chains|ops)\.[a-zA-Z]+|signOut|brand|customerNumber)'/g;

describe('the DPO console texts', () => {
  it('has every key the console code uses, in Finnish, Swedish and English', () => {
    const used = new Set<string>();
    for (const file of readdirSync(DIR).filter(
      (f) => /^dpo-.*\.ts$/.test(f) && !f.endsWith('.test.ts'),
    ))
      for (const m of readFileSync(new URL(file, DIR), 'utf8').matchAll(KEY))
        used.add(m[1] as string);
    // Keys built from values: every value they can take.
    for (const s of [
      'approved',
      'running',
      'ready',
      'delivered',
      'failed',
      'cancelled',
      'nothing found',
      'identity to verify',
      'new',
      'denied',
    ])
      used.add(`status.${s}`);
    for (const c of RECEIPT_CHANNELS) used.add(`channel.${c}`);
    for (const l of LANGUAGES) used.add(`language.${l}`);
    for (const p of ['access_request', 'authority_request']) used.add(`purpose.${p}`);
    // The operations page's closed lists (readiness, Prometheus's scrape health, export jobs).
    for (const s of ['ready', 'not ready', 'unreachable']) used.add(`ops.state.${s}`);
    for (const h of ['up', 'down', 'unknown']) used.add(`ops.health.${h}`);
    for (const j of ['waiting', 'active', 'completed', 'failed', 'delayed'])
      used.add(`ops.jobs.${j}`);
    for (const d of DONE) used.add(`done.${d}`);
    expect(used.size).toBeGreaterThan(100);
    expect(used).toContain('ops.replayed'); // the operations page's words are checked too
    for (const language of LANGUAGES) {
      const block = texts.languages[language] as Record<string, string>;
      const missing = [...used].filter((k) => typeof block[`dpo.${k}`] !== 'string');
      expect(missing, language).toEqual([]);
    }
  });

  it('fills placeholders and keeps the chosen language, English by default', () => {
    expect(dpoTexts(texts, 'fi')('erase.title', { customer: '100000' })).toBe(
      'Poistetaanko asiakas 100000?',
    );
    expect(dpoLanguage(undefined)).toBe('en');
    expect(dpoLanguage('sv', 'fi')).toBe('sv');
    expect(dpoLanguage(undefined, 'fi')).toBe('fi');
    expect(dpoLanguage('de')).toBe('en');
  });
});

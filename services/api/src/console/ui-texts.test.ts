import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { languageOf, parseUiTexts } from './ui-texts.js';

const FILE = new URL('../../policy/ui-texts.json', import.meta.url);

describe('the customer page texts', () => {
  it('has every key in Finnish, Swedish and English, Finnish by default', () => {
    const texts = parseUiTexts(readFileSync(FILE, 'utf8'));
    expect(texts.defaultLanguage).toBe('fi');
    expect(languageOf(texts, 'sv')).toBe('sv');
    expect(languageOf(texts, 'de')).toBe('fi');
  });

  it('refuses a language missing a key', () => {
    const raw = JSON.parse(readFileSync(FILE, 'utf8'));
    delete raw.languages.sv.signIn;
    expect(() => parseUiTexts(JSON.stringify(raw))).toThrow('sv.signIn is missing');
  });
});

import { LANGUAGES, type Language } from '@lukema/core';
import type { UiTexts } from './ui-texts.js';

/** The console opens in English (the DPO's working language) until the DPO picks another. */
export const DPO_DEFAULT_LANGUAGE: Language = 'en';

/** The console's language: the session's choice, else the one asked for, else English. */
export function dpoLanguage(chosen: unknown, asked?: unknown): Language {
  for (const value of [chosen, asked])
    if (typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value))
      return value as Language;
  return DPO_DEFAULT_LANGUAGE;
}

/** Fills `{name}` placeholders. */
const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (all, name: string) =>
    values[name] === undefined ? all : String(values[name]),
  );

export type DpoT = ((key: string, values?: Record<string, string | number>) => string) & {
  readonly language: Language;
};

/**
 * The console's words in one language (`dpo.*` keys of policy/ui-texts.json; every key is in
 * each language, checked at start). An unknown key shows as itself, which a unit test
 * rules out for every key the console's code uses.
 */
export function dpoTexts(texts: UiTexts, language: Language): DpoT {
  const block = texts.languages[language] as Record<string, string>;
  const t = (key: string, values: Record<string, string | number> = {}) =>
    fill(block[`dpo.${key}`] ?? key, values);
  return Object.assign(t, { language });
}

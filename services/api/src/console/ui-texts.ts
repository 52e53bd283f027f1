import { LANGUAGES, type Language } from '@lukema/core';

/** The customer page's words, one block per language (`policy/ui-texts.json`). */
export interface UiTexts {
  readonly defaultLanguage: Language;
  readonly languages: Readonly<Record<Language, Readonly<Record<string, string>>>>;
}

/** Thrown at start when the texts file misses a language or a key of the default one. */
export class UiTextsError extends Error {}

/**
 * Parses the UI texts and checks that every language has exactly the default language's
 * keys, so a page never falls back to another language or to a key name.
 * @throws UiTextsError naming the language and key.
 */
export function parseUiTexts(json: string): UiTexts {
  const raw = JSON.parse(json) as {
    defaultLanguage?: string;
    languages?: Record<string, Record<string, unknown>>;
  };
  const def = raw.defaultLanguage as Language;
  if (!LANGUAGES.includes(def)) throw new UiTextsError('ui texts: defaultLanguage is not known');
  const base = raw.languages?.[def] ?? {};
  const keys = Object.keys(base);
  for (const language of LANGUAGES) {
    const block = raw.languages?.[language];
    if (!block) throw new UiTextsError(`ui texts: language ${language} is missing`);
    for (const key of keys)
      if (typeof block[key] !== 'string' || block[key] === '')
        throw new UiTextsError(`ui texts: ${language}.${key} is missing`);
    for (const key of Object.keys(block))
      if (!keys.includes(key)) throw new UiTextsError(`ui texts: ${language}.${key} is unknown`);
  }
  return raw as UiTexts;
}

/** The language asked for when it is one of ours, else the default. */
export function languageOf(texts: UiTexts, asked: unknown): Language {
  return typeof asked === 'string' && (LANGUAGES as readonly string[]).includes(asked)
    ? (asked as Language)
    : texts.defaultLanguage;
}

import { LANGUAGES } from '@lukema/core';
import type { DpoSessionOf } from './dpo-session.js';
import type { DpoT } from './dpo-texts.js';
import { type Html, html, page } from './html.js';

const LANGUAGE_NAMES: Record<string, string> = { fi: 'Suomi', sv: 'Svenska', en: 'English' };

/** The signed-in DPO's words (set when the session was read, see loadSessions). */
export const tOf = (session: DpoSessionOf): DpoT => session.t as DpoT;

/** The language switch: links to the same page in each language (kept in the session). */
function languageSwitch(current: string, here: string) {
  return html`<nav aria-label="Language / Kieli / Språk" class="languages">${LANGUAGES.map((l) =>
    l === current
      ? html`<span aria-current="true" lang="${l}">${LANGUAGE_NAMES[l]}</span> `
      : html`<a href="${here}?lang=${l}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a> `,
  )}</nav>`;
}

/**
 * A console page in the DPO's language, with its navigation and language switch. `here` is
 * the page's own path (for the switch's links; the requests page when not given). Before
 * sign-in, `t` gives the language asked for.
 */
export function dpoPage(
  session: DpoSessionOf | undefined,
  title: string,
  body: Html,
  options: { readonly t?: DpoT; readonly here?: string } = {},
): string {
  const t = options.t ?? (session ? tOf(session) : undefined);
  const say = (key: string, english: string) => (t ? t(key) : english);
  const language = t?.language ?? 'en';
  const header = session
    ? html`<nav aria-label="${say('nav.label', 'Console')}"><a href="/console">${say('nav.requests', 'Access requests')}</a> <a href="/console/subjects">${say('nav.subjects', 'Objections, erasure, re-identification')}</a> <a href="/console/audit">${say('nav.audit', 'Audit trail')}</a> <a href="/console/operations">${say('nav.operations', 'Operations')}</a></nav>${languageSwitch(language, options.here ?? '/console')}<form method="post" action="/console/sign-out" class="inline"><input type="hidden" name="csrf" value="${session.csrf}"><span class="who">${session.name}</span> <button type="submit">${say('signOut', 'Sign out')}</button></form>`
    : html`<span class="brand">${say('brand', 'Lukema DPO console')}</span>${languageSwitch(language, options.here ?? '/console/sign-in')}`;
  return page({ title, lang: language, header, body });
}

/** A short message box; `role=status` so a screen reader announces it. */
export const notice = (text: string | undefined, kind: 'ok' | 'error' = 'ok') =>
  text ? html`<p class="notice ${kind}" role="status">${text}</p>` : html``;

export const csrfField = (session: DpoSessionOf) =>
  html`<input type="hidden" name="csrf" value="${session.csrf}">`;

/** The API's error text (it never carries personal data), or a fallback by status. */
export function apiError(answer: { status: number; body: Record<string, unknown> }): string {
  const text = typeof answer.body.error === 'string' ? answer.body.error : undefined;
  return text ?? `the API answered ${answer.status}`;
}

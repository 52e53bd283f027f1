import type { DpoSessionOf } from './dpo-session.js';
import { type Html, html, page } from './html.js';

/** A console page (English: the DPO's working language) with its navigation. */
export function dpoPage(session: DpoSessionOf | undefined, title: string, body: Html): string {
  const header = session
    ? html`<nav aria-label="Console"><a href="/console">Access requests</a> <a href="/console/subjects">Objections, erasure, re-identification</a> <a href="/console/audit">Audit trail</a> <a href="/console/operations">Operations</a></nav><form method="post" action="/console/sign-out" class="inline"><input type="hidden" name="csrf" value="${session.csrf}"><span class="who">${session.name}</span> <button type="submit">Sign out</button></form>`
    : html`<span class="brand">Lukema DPO console</span>`;
  return page({ title, lang: 'en', header, body });
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

/** Markup that is already safe (built by `html`); anything else is escaped when interpolated. */
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function piece(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}

/** A template tag that escapes every interpolated value except nested `html` fragments. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += piece(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/**
 * A whole page: every asset from Lukema itself (`/assets/`), no inline script or style, so
 * the Content-Security-Policy can forbid both.
 */
export function page(options: {
  readonly title: string;
  readonly lang: string;
  readonly body: Html;
  readonly header?: Html;
}): string {
  return `<!doctype html>${html`<html lang="${options.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${options.title}</title><link rel="stylesheet" href="/assets/console.css"><script src="/assets/console.js" defer></script></head><body><header class="top">${options.header ?? ''}</header><main id="main"><h1>${options.title}</h1>${options.body}</main></body></html>`}`;
}

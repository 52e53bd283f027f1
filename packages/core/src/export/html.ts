const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. Never throws. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export interface Table {
  readonly caption: string;
  readonly headers: readonly string[];
  /** Cell text, escaped here. */
  readonly rows: readonly (readonly string[])[];
  readonly footer?: readonly string[];
  /** Indexes of columns holding numbers, right-aligned. */
  readonly numeric?: readonly number[];
}

function cells(tag: 'td' | 'th', values: readonly string[], numeric: readonly number[]): string {
  return values
    .map((v, i) => {
      const cls = numeric.includes(i) ? ' class="num"' : '';
      const scope = tag === 'th' ? ' scope="col"' : '';
      return `<${tag}${cls}${scope}>${escapeHtml(v)}</${tag}>`;
    })
    .join('');
}

/** Renders a table with a caption and column headers; all cell text is escaped. */
export function htmlTable(table: Table): string {
  const numeric = table.numeric ?? [];
  const body = table.rows.map((row) => `<tr>${cells('td', row, numeric)}</tr>`).join('');
  const foot = table.footer ? `<tfoot><tr>${cells('td', table.footer, numeric)}</tr></tfoot>` : '';
  return `<table><caption>${escapeHtml(table.caption)}</caption><thead><tr>${cells('th', table.headers, numeric)}</tr></thead><tbody>${body}</tbody>${foot}</table>`;
}

/** Renders a paragraph of escaped text. */
export function p(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

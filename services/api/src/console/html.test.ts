import { describe, expect, it } from 'vitest';
import { html, page } from './html.js';

describe('html', () => {
  it('escapes interpolated values but not nested fragments', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${['a&', html`<br>`]}</p>`.text).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>a&amp;<br></p>',
    );
  });

  it('builds a page with no inline script or style', () => {
    const text = page({ title: 'T<', lang: 'fi', body: html`<p>x</p>` });
    expect(text).toContain('<title>T&lt;</title>');
    expect(text).not.toMatch(/<script>|<style|style=/);
  });
});

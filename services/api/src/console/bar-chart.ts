import { type Html, html } from './html.js';

/**
 * A bar chart as inline SVG (no script, no inline style: the CSP holds), with its numbers
 * also in a table for screen readers and for copying.
 */
export function barChart(
  id: string,
  caption: string,
  unit: string,
  points: ReadonlyArray<readonly [string, number]>,
): Html {
  const width = 640;
  const height = 200;
  const max = Math.max(...points.map(([, v]) => v), 0.001);
  const step = width / Math.max(points.length, 1);
  const bar = Math.max(step * 0.8, 1);
  const labelEvery = Math.ceil(points.length / 8);
  return html`<figure class="chart" id="${id}"><figcaption>${caption} (${unit})</figcaption><svg viewBox="0 0 ${width} ${height + 20}" role="img" aria-label="${caption}"><line x1="0" y1="${height}" x2="${width}" y2="${height}" class="axis"></line>${points.map(
    ([label, value], i) => {
      const h = (value / max) * (height - 10);
      return html`<rect x="${(i * step + (step - bar) / 2).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" class="bar"><title>${label}: ${value.toFixed(1)} ${unit}</title></rect>${
        i % labelEvery === 0
          ? html`<text x="${(i * step + step / 2).toFixed(1)}" y="${height + 15}" class="tick">${label.slice(5)}</text>`
          : ''
      }`;
    },
  )}</svg><details><summary>${caption}: ${points.length}</summary><table><tbody>${points.map(
    ([label, value]) => html`<tr><th scope="row">${label}</th><td>${value.toFixed(3)}</td></tr>`,
  )}</tbody></table></details></figure>`;
}

/**
 * A plain inline SVG bar chart: no script, no external resource, a <title> and <desc> for
 * screen readers and a <title> per bar for the exact value on hover.
 */
import { escapeHtml } from './html.js';

export interface Bar {
  /** Short axis label, e.g. `2026-03` or `03-14`. */
  readonly label: string;
  /** Bar height in kWh (may be negative, e.g. after corrections). */
  readonly value: number;
  /** Full text of the bar's tooltip, e.g. `March 2026: 412.345 kWh`. */
  readonly title: string;
}

export interface BarChart {
  /** Unique within the page: used for the aria-labelledby ids. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly xAxisLabel: string;
  readonly yAxisLabel: string;
  readonly color: string;
  readonly bars: readonly Bar[];
}

const WIDTH = 720;
const HEIGHT = 260;
const LEFT = 64;
const RIGHT = 12;
const TOP = 14;
const BOTTOM = 48;
const MAX_X_LABELS = 12;

/** A round step (1, 2 or 5 × 10^n) giving about five intervals over `span`. */
function niceStep(span: number): number {
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / magnitude;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * magnitude;
}

function tickLabel(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function round1(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Renders the chart as an <svg> element. Never throws; with no bars it draws the axes. */
export function svgBarChart(chart: BarChart): string {
  const id = escapeHtml(chart.id);
  const values = chart.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0));
  const step = niceStep(Math.max(...values, 0) - Math.min(...values, 0) || 1);
  const top = Math.ceil(Math.max(...values, 0) / step) * step || step;
  const bottom = Math.floor(Math.min(...values, 0) / step) * step;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const y = (v: number) => TOP + ((top - v) / (top - bottom)) * plotHeight;
  const out: string[] = [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-t ${id}-d">`,
    `<title id="${id}-t">${escapeHtml(chart.title)}</title>`,
    `<desc id="${id}-d">${escapeHtml(chart.description)}</desc>`,
  ];
  // Ticks by integer index: adding a fractional step repeatedly drifts (0.1 + 0.2 ≠ 0.3).
  for (let k = Math.round(bottom / step); k <= Math.round(top / step); k++) {
    const v = k * step;
    const ty = round1(y(v));
    out.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ty}" y2="${ty}" stroke="#ccc" stroke-width="${k === 0 ? 1.5 : 0.5}"/>`,
      `<text x="${LEFT - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle" font-size="11">${tickLabel(v)}</text>`,
    );
  }
  const slot = plotWidth / Math.max(chart.bars.length, 1);
  const labelEvery = Math.ceil(chart.bars.length / MAX_X_LABELS);
  const zero = y(0);
  chart.bars.forEach((bar, i) => {
    const value = values[i] ?? 0;
    const x = LEFT + i * slot;
    const barTop = Math.min(y(value), zero);
    const height = Math.abs(y(value) - zero);
    out.push(
      `<rect x="${round1(x + slot * 0.15)}" y="${round1(barTop)}" width="${round1(slot * 0.7)}" height="${round1(height)}" fill="${escapeHtml(chart.color)}"><title>${escapeHtml(bar.title)}</title></rect>`,
    );
    if (i % labelEvery === 0) {
      out.push(
        `<text x="${round1(x + slot / 2)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11">${escapeHtml(bar.label)}</text>`,
      );
    }
  });
  out.push(
    `<text x="${LEFT + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="12">${escapeHtml(chart.xAxisLabel)}</text>`,
    `<text transform="translate(14 ${TOP + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(chart.yAxisLabel)}</text>`,
    '</svg>',
  );
  return out.join('');
}

import { describe, expect, it } from 'vitest';
import { type BarChart, svgBarChart } from './svg-bar-chart.js';

const CHART: BarChart = {
  id: 'c1',
  title: 'Consumption per month',
  description: 'kWh per month',
  xAxisLabel: 'Month',
  yAxisLabel: 'kWh',
  color: '#123456',
  bars: [
    { label: '2024-01', value: 10, title: 'January 2024: 10.000 kWh' },
    { label: '2024-02', value: 25, title: 'February 2024: 25.000 kWh' },
    { label: '2024-03', value: -5, title: 'March 2024: -5.000 kWh' },
  ],
};

function rects(svg: string): { y: number; height: number }[] {
  return [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].map(
    (m) => ({ y: Number(m[1]), height: Number(m[2]) }),
  );
}

describe('svgBarChart', () => {
  it('labels the chart for screen readers and gives every bar a title', () => {
    const svg = svgBarChart(CHART);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c1-t c1-d">/);
    expect(svg).toContain('<title id="c1-t">Consumption per month</title>');
    expect(svg).toContain('<desc id="c1-d">kWh per month</desc>');
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg).toContain('<title>February 2024: 25.000 kWh</title></rect>');
    expect(svg).toContain('>Month</text>');
    expect(svg).toContain('>kWh</text>');
  });

  it('draws heights in proportion from a zero line, negative bars below it', () => {
    const [jan, feb, mar] = rects(svgBarChart(CHART));
    expect(feb?.height).toBeCloseTo((jan?.height ?? 0) * 2.5, 0);
    expect(mar?.y).toBeCloseTo((jan?.y ?? 0) + (jan?.height ?? 0), 0);
    expect(mar?.height).toBeCloseTo((jan?.height ?? 0) / 2, 0);
  });

  it('puts round ticks on the value axis', () => {
    const ticks = [
      ...svgBarChart(CHART).matchAll(/dominant-baseline="middle" font-size="11">([-\d.]+)</g),
    ];
    expect(ticks.map((m) => m[1])).toEqual(['-10', '0', '10', '20', '30']);
  });

  it('escapes every text it is given', () => {
    const svg = svgBarChart({
      ...CHART,
      title: '<b>',
      bars: [{ label: '<i>', value: 1, title: '"&' }],
    });
    expect(svg).not.toMatch(/<[bi]>/);
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).toContain('<title>&quot;&amp;</title>');
  });
});

/** The report's monthly and daily energy charts, built from the aggregated totals. */
import type { Direction } from '../reading.js';
import type { ReadingTotals } from './aggregate.js';
import { displayKwh } from './format.js';
import { escapeHtml, p } from './html.js';
import { fillText, type ReportTexts } from './report-texts.js';
import { type Bar, svgBarChart } from './svg-bar-chart.js';

const COLORS: Record<Direction, string> = { consumption: '#1d5fa0', production: '#2f7d32' };

function monthName(month: string, r: ReportTexts): string {
  const name = r.monthNames[Number(month.slice(5, 7)) - 1] ?? month.slice(5, 7);
  return `${name} ${month.slice(0, 4)}`;
}

function monthBars(totals: ReadingTotals, direction: Direction, r: ReportTexts) {
  const wh = (m: (typeof totals.months)[number]) =>
    direction === 'consumption' ? m.consumptionWh : m.productionWh;
  if (totals.months.every((m) => wh(m) === null)) return undefined;
  return totals.months.map((m): Bar => {
    const value = wh(m);
    const label = monthName(m.month, r);
    return {
      label: m.month,
      value: (value ?? 0) / 1000,
      title:
        value === null
          ? fillText(r.barNoData, { label })
          : fillText(r.barValue, { label, kwh: displayKwh(value, r.decimalSeparator) }),
    };
  });
}

function figure(chart: Parameters<typeof svgBarChart>[0], caption: string): string {
  return `<figure>${svgBarChart(chart)}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** Renders the monthly chart section, one chart per direction with data. Never throws. */
export function monthlySection(totals: ReadingTotals, r: ReportTexts): string {
  const charts: string[] = [];
  for (const direction of ['consumption', 'production'] as const) {
    const bars = monthBars(totals, direction, r);
    if (bars === undefined) continue;
    const values = {
      direction: r[direction],
      count: bars.length,
      from: totals.months[0]?.month ?? '',
      to: totals.months.at(-1)?.month ?? '',
    };
    charts.push(
      figure(
        {
          id: `month-${direction}`,
          title: fillText(r.chartPerMonth, values),
          description: fillText(r.chartPerMonthDescription, values),
          xAxisLabel: r.axisMonth,
          yAxisLabel: r.axisKwh,
          color: COLORS[direction],
          bars,
        },
        fillText(r.chartPerMonthCaption, values),
      ),
    );
  }
  const body = charts.length === 0 ? p(r.noReadings) : charts.join('');
  return `<section id="monthly"><h2>${escapeHtml(r.monthlyHeading)}</h2>${body}</section>`;
}

/** Renders the daily chart section: the most recent days with data. Never throws. */
export function dailySection(totals: ReadingTotals, r: ReportTexts): string {
  const charts: string[] = [];
  for (const direction of ['consumption', 'production'] as const) {
    const days = totals.recentDays[direction];
    if (days.length === 0) continue;
    const bars: Bar[] = days.map((d) => ({
      label: d.day.slice(5),
      value: d.wh / 1000,
      title: fillText(r.barValue, { label: d.day, kwh: displayKwh(d.wh, r.decimalSeparator) }),
    }));
    const values = {
      direction: r[direction],
      count: days.length,
      from: days[0]?.day ?? '',
      to: days.at(-1)?.day ?? '',
    };
    charts.push(
      figure(
        {
          id: `day-${direction}`,
          title: fillText(r.chartPerDay, values),
          description: fillText(r.chartPerDayDescription, values),
          xAxisLabel: r.axisDay,
          yAxisLabel: r.axisKwh,
          color: COLORS[direction],
          bars,
        },
        fillText(r.chartPerDayCaption, values),
      ),
    );
  }
  const body = charts.length === 0 ? p(r.noReadings) : charts.join('');
  return `<section id="daily"><h2>${escapeHtml(r.dailyHeading)}</h2>${body}</section>`;
}

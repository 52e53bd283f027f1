/** The report's monthly and daily energy charts, built from the aggregated totals. */
import type { Direction } from '../reading.js';
import type { ReadingTotals } from './aggregate.js';
import { displayKwh } from './format.js';
import { p } from './html.js';
import { type Bar, svgBarChart } from './svg-bar-chart.js';

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const COLORS: Record<Direction, string> = { consumption: '#1d5fa0', production: '#2f7d32' };
const NOUNS: Record<Direction, string> = { consumption: 'Consumption', production: 'Production' };

function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month.slice(5, 7)} ${month.slice(0, 4)}`;
}

function monthBars(totals: ReadingTotals, direction: Direction): Bar[] | undefined {
  const wh = (m: (typeof totals.months)[number]) =>
    direction === 'consumption' ? m.consumptionWh : m.productionWh;
  if (totals.months.every((m) => wh(m) === null)) return undefined;
  return totals.months.map((m) => {
    const value = wh(m);
    return {
      label: m.month,
      value: (value ?? 0) / 1000,
      title: `${monthName(m.month)}: ${value === null ? 'no data' : `${displayKwh(value)} kWh`}`,
    };
  });
}

/** Renders the monthly chart section, one chart per direction with data. Never throws. */
export function monthlySection(totals: ReadingTotals): string {
  const charts: string[] = [];
  for (const direction of ['consumption', 'production'] as const) {
    const bars = monthBars(totals, direction);
    if (bars === undefined) continue;
    charts.push(
      `<figure>${svgBarChart({
        id: `month-${direction}`,
        title: `${NOUNS[direction]} per month`,
        description: `${NOUNS[direction]} in kWh per calendar month in Finnish time, ${bars.length} months from ${totals.months[0]?.month} to ${totals.months.at(-1)?.month}.`,
        xAxisLabel: 'Month',
        yAxisLabel: 'kWh',
        color: COLORS[direction],
        bars,
      })}<figcaption>${NOUNS[direction]} per month (kWh)</figcaption></figure>`,
    );
  }
  const body = charts.length === 0 ? p('We have no readings of yours.') : charts.join('');
  return `<section id="monthly"><h2>Energy per month</h2>${body}</section>`;
}

/** Renders the daily chart section: the most recent days with data. Never throws. */
export function dailySection(totals: ReadingTotals): string {
  const charts: string[] = [];
  for (const direction of ['consumption', 'production'] as const) {
    const days = totals.recentDays[direction];
    if (days.length === 0) continue;
    const bars: Bar[] = days.map((d) => ({
      label: d.day.slice(5),
      value: d.wh / 1000,
      title: `${d.day}: ${displayKwh(d.wh)} kWh`,
    }));
    charts.push(
      `<figure>${svgBarChart({
        id: `day-${direction}`,
        title: `${NOUNS[direction]} per day`,
        description: `${NOUNS[direction]} in kWh per day in Finnish time, for the ${days.length} most recent days with data, from ${days[0]?.day} to ${days.at(-1)?.day}.`,
        xAxisLabel: 'Day (month-day)',
        yAxisLabel: 'kWh',
        color: COLORS[direction],
        bars,
      })}<figcaption>${NOUNS[direction]} per day (kWh)</figcaption></figure>`,
    );
  }
  const body = charts.length === 0 ? p('We have no readings of yours.') : charts.join('');
  return `<section id="daily"><h2>Energy per day, most recent 60 days with data</h2>${body}</section>`;
}

/**
 * The analytics CLI's options, mapped onto the API's query parameters (the CLI offers the
 * same options as the HTTP routes). Pure, so it is unit-tested.
 */
export const ANALYTICS_USAGE = `usage: npm run analytics -- <query> --purpose P --from ISO --to ISO [options]
  aggregates    totals, means and percentiles per area, commodity, direction and period
                [--every hour|day|month] (Finnish local time, periods labelled by their start)
  load-profile  mean kWh by local hour of day, weekday and weekend
  series        daily kWh per pseudonym (grid_planning only)
options: --area 001xx|00|unknown  --area-digits 1|2|3  --direction consumption|production
         --commodity electricity  --format json|csv  --token T (or LUKEMA_API_TOKEN)
         --percentiles (exact, from each customer's rollups: slower; not for market research)
--from and --to lie on Europe/Helsinki boundaries of --every (load-profile: whole months);
an ISO date is local midnight. Groups with fewer than k customers, or one customer above the
dominance share, are withheld and listed with the reason (and siblings that would give them
away by subtraction: complementary-suppression; for marketing and market research, groups
whose objectors would fail the rule as a group of their own: left-out-part-fails-rule);
--area-digits 2 merges areas into the
coarser level. CSV statements (rule, noise, budget, merge) are printed to stderr.`;

const ROUTES: Readonly<Record<string, string>> = {
  aggregates: '/v1/analytics/aggregates',
  'load-profile': '/v1/analytics/load-profile',
  series: '/v1/analytics/daily-consumption',
};

const PARAMETERS: ReadonlyArray<readonly [string, string]> = [
  ['from', 'from'],
  ['to', 'to'],
  ['every', 'every'],
  ['area', 'area'],
  ['area-digits', 'areaDigits'],
  ['direction', 'direction'],
  ['commodity', 'commodity'],
  ['format', 'format'],
  ['percentiles', 'percentiles'],
];

/**
 * The API path of a CLI query, or the problem with it.
 */
export function analyticsPath(
  query: string | undefined,
  options: Readonly<Record<string, string | undefined>>,
): { path: string } | { problem: string } {
  const route = query === undefined ? undefined : ROUTES[query];
  if (route === undefined) return { problem: 'name a query: aggregates, load-profile or series' };
  if (!options.purpose) return { problem: 'every query names its purpose: give --purpose' };
  if (!options.from || !options.to) return { problem: 'give --from and --to' };
  const params = new URLSearchParams();
  for (const [option, parameter] of PARAMETERS) {
    const value = options[option];
    if (value === undefined) continue;
    if (query === 'series' && !['from', 'to', 'area'].includes(option)) {
      return { problem: `series takes only --from, --to and --area, not --${option}` };
    }
    params.set(parameter, value);
  }
  return { path: `${route}?${params.toString()}` };
}

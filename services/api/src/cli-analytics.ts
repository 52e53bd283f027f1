import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '@lukema/platform';
import { ANALYTICS_USAGE, analyticsPath } from './cli-analytics-args.js';

/** `npm run analytics -- …`: the analysts' queries through the API (audited there). */
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        token: { type: 'string' },
        purpose: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        every: { type: 'string' },
        area: { type: 'string' },
        'area-digits': { type: 'string' },
        direction: { type: 'string' },
        commodity: { type: 'string' },
        format: { type: 'string' },
        percentiles: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${ANALYTICS_USAGE}`);
  }
})();
if (values.help) {
  console.log(ANALYTICS_USAGE);
  process.exit(0);
}
const config = loadConfig(process.env);
const { help: _help, token: _token, percentiles, ...options } = values;
const target = analyticsPath(positionals[0], {
  ...options,
  ...(percentiles ? { percentiles: 'true' } : {}),
});
if ('problem' in target) fail(`${target.problem}\n${ANALYTICS_USAGE}`);
const token = values.token ?? config.api.token ?? fail('give --token or LUKEMA_API_TOKEN');
const response = await fetch(`${config.api.url}${(target as { path: string }).path}`, {
  headers: { authorization: `Bearer ${token}`, 'x-lukema-purpose': values.purpose ?? '' },
});
if (!response.ok) {
  const text = await response.text();
  // The API's own message (a 400 names the aligned window), not the JSON around it.
  const message = (() => {
    try {
      return String((JSON.parse(text) as { error?: unknown }).error ?? text);
    } catch {
      return text;
    }
  })();
  fail(`${response.status}: ${message.slice(0, 500)}`);
}
if (values.format === 'csv' && response.body) {
  // The rule, noise, budget and merge statements come as headers: shown on stderr.
  for (const [name, value] of response.headers) {
    if (name.startsWith('x-lukema-')) console.error(`# ${name}: ${value}`);
  }
  // Large results stream through: nothing is held whole.
  Readable.fromWeb(response.body).pipe(process.stdout);
} else {
  console.log(JSON.stringify(await response.json(), null, 2));
}

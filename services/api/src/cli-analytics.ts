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
const { help: _help, token: _token, ...options } = values;
const target = analyticsPath(positionals[0], options);
if ('problem' in target) fail(`${target.problem}\n${ANALYTICS_USAGE}`);
const token = values.token ?? config.api.token ?? fail('give --token or LUKEMA_API_TOKEN');
const response = await fetch(`${config.api.url}${(target as { path: string }).path}`, {
  headers: { authorization: `Bearer ${token}`, 'x-lukema-purpose': values.purpose ?? '' },
});
if (!response.ok) fail(`${response.status}: ${(await response.text()).slice(0, 300)}`);
if (values.format === 'csv' && response.body) {
  // Large results stream through: nothing is held whole.
  Readable.fromWeb(response.body).pipe(process.stdout);
} else {
  console.log(JSON.stringify(await response.json(), null, 2));
}

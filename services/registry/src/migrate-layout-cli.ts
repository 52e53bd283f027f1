import { parseArgs } from 'node:util';
import { InfluxClientAdapter, loadConfig, readInfluxToken } from '@lukema/platform';
import { DEFAULT_SLICE_MS, migrateLayout } from './migrate-layout.js';

// `npm run migrate-layout -w @lukema/registry -- --from 2020-01-01 --to 2027-01-01
// [--slice-hours 1]`: rewrites the readings stored in the earlier layouts (spelled-out tags)
// within [from, to) in the current one (short tags), then exits. Idempotent: run it again
// after a crash, or over any range.
const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    'slice-hours': { type: 'string' },
  },
});
const fromMs = Date.parse(values.from ?? '');
const toMs = Date.parse(values.to ?? '');
const sliceMs = values['slice-hours']
  ? Number(values['slice-hours']) * 3_600_000
  : DEFAULT_SLICE_MS;
if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs || !(sliceMs > 0)) {
  console.error(
    'usage: migrate-layout --from <ISO date or instant> --to <later one> [--slice-hours N]',
  );
  process.exit(2);
}
const config = loadConfig(process.env);
const influx = new InfluxClientAdapter({
  url: config.influx.url,
  org: config.influx.org,
  // The registry's role may read, write and delete: what the migration does.
  token: readInfluxToken(config, 'registry'),
});
const bucket = config.influx.buckets.readings;
const report = await migrateLayout(
  {
    influx,
    bucket,
    onSlice: ({ fromMs: f, report: r }) => {
      if (r.readings + r.gaps + r.alreadySparse > 0)
        console.log(`${new Date(f).toISOString()}: ${r.readings} readings, ${r.gaps} gap reports`);
    },
  },
  { fromMs, toMs, sliceMs },
);
console.log(
  `migrated ${report.readings} readings and ${report.gaps} gap reports of ${bucket} to the current layout; ` +
    `${report.alreadySparse} earlier readings left out (already in the current layout: migrated before, or newer)`,
);

import { InfluxClientAdapter, loadConfig, readInfluxToken } from '@lukema/platform';
const config = loadConfig(process.env);
const token = readInfluxToken(config, 'operator');
const influx = new InfluxClientAdapter({ url: config.influx.url, org: config.influx.org, token });
const r = await fetch(`${config.influx.url}/api/v2/buckets?limit=100`, { headers: { authorization: `Token ${token}` } });
const { buckets } = (await r.json()) as { buckets: Array<{ name: string }> };
for (const b of buckets) if (b.name.startsWith('bench-analytics-')) { console.log('delete', b.name); await influx.deleteBucket(b.name); }

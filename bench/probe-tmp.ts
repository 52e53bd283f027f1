import { InfluxClientAdapter, loadConfig, readInfluxToken } from '@lukema/platform';
const config = loadConfig(process.env);
const token = readInfluxToken(config, 'operator');
const influx = new InfluxClientAdapter({ url: config.influx.url, org: config.influx.org, token });
const r = await fetch(`${config.influx.url}/api/v2/buckets?limit=100`, { headers: { authorization: `Token ${token}` } });
const { buckets } = (await r.json()) as { buckets: Array<{ name: string }> };
for (const b of buckets) if (b.name.startsWith('bench-analytics-') && b.name.endsWith('rollups')) {
  const rows = await influx.rows<{ _value: number; _measurement: string }>(`from(bucket: "${b.name}") |> range(start: 2025-01-01T00:00:00Z, stop: 2027-01-01T00:00:00Z) |> filter(fn: (r) => r._field == "kwh") |> group(columns: ["_measurement"]) |> count()`);
  console.log(b.name, JSON.stringify(rows.map((x) => [x._measurement, x._value])));
}

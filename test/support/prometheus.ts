import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Runs promtool from the local stack's Prometheus (infra/prometheus.sh install). */
export function promtool(cacheDir: string, args: string[], cwd: string) {
  const bin = join(cacheDir, 'prometheus', 'usr', 'bin', 'promtool');
  return new Promise<{ code: number; output: string }>((resolve) =>
    execFile(bin, args, { cwd }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`.trim() }),
    ),
  );
}

/** An instant query's single value (the first series), or undefined when there is none. */
export async function promQuery(prometheusUrl: string, query: string): Promise<number | undefined> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as {
    status: string;
    data?: { result: { value: [number, string] }[] };
    error?: string;
  };
  if (body.status !== 'success') throw new Error(`prometheus: ${body.error}`);
  const value = body.data?.result[0]?.value[1];
  return value === undefined ? undefined : Number(value);
}

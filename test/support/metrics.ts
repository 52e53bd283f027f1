/** Fetches a Prometheus text exposition and reads one sample's value (summed over matching series). */
export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}

/**
 * The sum of a metric's samples whose labels include every given label, from exposition
 * text; undefined when no sample matches.
 */
export function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[3] ?? '').matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      sum = (sum ?? 0) + Number(m[4]);
    }
  }
  return sum;
}

/** Every label value in exposition text, for checking that no identifier is in one. */
export function labelValues(text: string): string[] {
  return [...text.matchAll(/[a-zA-Z_]+="([^"]*)"/g)].map((m) => m[1] ?? '');
}

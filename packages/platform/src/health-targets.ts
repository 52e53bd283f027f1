/** A service whose `/readyz` the operator's page asks, by the name the page shows. */
export interface HealthTarget {
  readonly name: string;
  /** The service's base URL: `<url>/readyz`. */
  readonly url: string;
}

/**
 * `LUKEMA_HEALTH_URLS`: `name=url,name=url` (e.g. `api=http://127.0.0.1:18080,
 * ingest-1=http://10.0.0.5:18091`). Without it: the API, the registry and one ingest worker
 * at the ports `npm start` gives them on this host.
 * @returns the targets, or the problem (the caller names the variable).
 */
export function parseHealthUrls(
  text: string | undefined,
  defaults: {
    readonly host: string;
    readonly api: number;
    readonly registry: number;
    readonly ingest: number;
  },
): HealthTarget[] | string {
  // A service listening on every interface is reached on loopback from this host.
  const host = defaults.host === '0.0.0.0' ? '127.0.0.1' : defaults.host;
  if (text === undefined)
    return [
      { name: 'api', url: `http://${host}:${defaults.api}` },
      { name: 'registry', url: `http://${host}:${defaults.registry}` },
      { name: 'ingest', url: `http://${host}:${defaults.ingest}` },
    ];
  const targets: HealthTarget[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    const url = part
      .slice(at + 1)
      .trim()
      .replace(/\/+$/, '');
    if (at < 1 || !/^[a-z0-9][a-z0-9._-]{0,39}$/i.test(name))
      return `"${part.slice(0, 40)}" is not name=url (a name of letters, digits, . _ -)`;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      return `${name}: "${url.slice(0, 80)}" is not an http(s) URL`;
    if (targets.some((t) => t.name === name)) return `${name} is named twice`;
    targets.push({ name, url });
  }
  return targets.length > 0 ? targets : 'names no service';
}

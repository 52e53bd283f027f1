import type { HealthTarget } from '../health-targets.js';

/** A service's readiness as its `/readyz` answered (or did not) when the page asked. */
export interface ServiceReadiness {
  readonly name: string;
  readonly url: string;
  readonly state: 'ready' | 'not ready' | 'unreachable';
  /** Per engine (or `service`), why not: engine error texts, scrubbed and shortened. */
  readonly reasons: Readonly<Record<string, string>>;
  /** When it was asked (ISO 8601). */
  readonly checkedAt: string;
}

/** Prometheus' last scrape of one target (`host:port`). */
export interface ScrapeState {
  readonly lastScrapeAt: string;
  readonly health: string;
  readonly lastError: string;
}

/**
 * A reason as the page may show it: engine error texts never carry request data, but a
 * host name or a driver's message could; e-mail-like tokens, long digit runs and
 * identity-code shapes are removed, and the text is cut short.
 */
export function scrubReason(text: string): string {
  return text
    .replace(/[^\s@()<>"']+@[^\s@()<>"']+/g, '[removed]')
    .replace(/\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b/gi, '[removed]')
    .replace(/\d{6,}/g, '[removed]')
    .slice(0, 200);
}

const ENGINE = /^[a-z][a-z0-9_-]{0,31}$/;

/** Reads `/readyz`'s `{ready, reasons}`; anything else is the service's fault, said so. */
function readinessOf(status: number, body: unknown): Pick<ServiceReadiness, 'state' | 'reasons'> {
  const parsed = (typeof body === 'object' && body !== null ? body : {}) as {
    ready?: unknown;
    reasons?: unknown;
  };
  if (status === 200 && parsed.ready === true) return { state: 'ready', reasons: {} };
  const reasons: Record<string, string> = {};
  if (typeof parsed.reasons === 'object' && parsed.reasons !== null) {
    for (const [engine, why] of Object.entries(parsed.reasons)) {
      if (ENGINE.test(engine) && typeof why === 'string') reasons[engine] = scrubReason(why);
    }
  }
  if (Object.keys(reasons).length === 0) reasons.service = `/readyz answered ${status}`;
  return { state: 'not ready', reasons };
}

/**
 * Asks one service's `/readyz`. Never throws: a service that does not answer is
 * `unreachable`, with the reason.
 */
export async function probeReadiness(
  target: HealthTarget,
  { timeoutMs = 3000, now = () => new Date() } = {},
): Promise<ServiceReadiness> {
  const checkedAt = now().toISOString();
  try {
    const answer = await fetch(`${target.url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await answer.json().catch(() => undefined);
    return { name: target.name, url: target.url, checkedAt, ...readinessOf(answer.status, body) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : `does not answer${cause ? ` (${cause})` : ''}`;
    return {
      name: target.name,
      url: target.url,
      checkedAt,
      state: 'unreachable',
      reasons: { service: scrubReason(why) },
    };
  }
}

/**
 * Prometheus' active targets and when it last scraped each (`/api/v1/targets`), keyed by
 * `host:port`.
 * @throws Error when Prometheus does not answer (the page says so and goes on without it).
 */
export async function prometheusScrapes(
  prometheusUrl: string,
  timeoutMs = 3000,
): Promise<Map<string, ScrapeState>> {
  const answer = await fetch(`${prometheusUrl}/api/v1/targets?state=active`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!answer.ok) throw new Error(`Prometheus answered ${answer.status}`);
  const body = (await answer.json()) as {
    data?: {
      activeTargets?: Array<{
        labels?: Record<string, string>;
        discoveredLabels?: Record<string, string>;
        lastScrape?: string;
        health?: string;
        lastError?: string;
      }>;
    };
  };
  const out = new Map<string, ScrapeState>();
  for (const t of body.data?.activeTargets ?? []) {
    const instance = t.labels?.instance ?? t.discoveredLabels?.__address__;
    if (!instance) continue;
    out.set(instance, {
      lastScrapeAt: t.lastScrape ?? '',
      health: t.health ?? 'unknown',
      lastError: scrubReason(t.lastError ?? ''),
    });
  }
  return out;
}

/** One engine a service depends on, and how to ask whether it answers. */
export interface EngineCheck {
  readonly name: string;
  /** Resolves when the engine answered; rejects (or times out) otherwise. */
  check(): Promise<void>;
}

export interface Readiness {
  readonly ready: boolean;
  /** Per engine that did not answer: why (an engine's error text, never request data). */
  readonly reasons: Record<string, string>;
}

const timeout = (ms: number) =>
  new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
  );

/** Asks every engine at once; ready when all answered within `timeoutMs`. */
export async function checkReadiness(
  checks: readonly EngineCheck[],
  timeoutMs = 2000,
): Promise<Readiness> {
  const results = await Promise.allSettled(
    checks.map((c) => Promise.race([c.check(), timeout(timeoutMs)])),
  );
  const reasons: Record<string, string> = {};
  results.forEach((result, i) => {
    const name = checks[i]?.name ?? `engine ${i}`;
    if (result.status === 'rejected') {
      const error = result.reason;
      reasons[name] =
        `${name} does not answer: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
  return { ready: Object.keys(reasons).length === 0, reasons };
}

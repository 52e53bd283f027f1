import { PoisonMessageError } from '@lukema/core';
import type { z } from 'zod';

/**
 * Parses one JSON event against its schema: the one reader every consumer uses.
 * @throws PoisonMessageError naming the invalid fields (never their values).
 */
export function parseEvent<T extends z.ZodType>(
  what: string,
  schema: T,
  bytes: Buffer | string | null,
): z.output<T> {
  if (bytes === null || bytes.length === 0) throw new PoisonMessageError(`empty ${what}`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch {
    throw new PoisonMessageError(`${what} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || i.code).join(', ');
    throw new PoisonMessageError(`${what} is invalid at: ${where}`);
  }
  return parsed.data;
}

/**
 * Checks an event against its schema before it is published: the one writer every producer
 * uses, so a producer cannot publish what its consumers would refuse.
 * @throws PoisonMessageError naming the invalid fields (a programming error upstream).
 */
export function encodeEvent<T extends z.ZodType>(what: string, schema: T, event: z.input<T>) {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || i.code).join(', ');
    throw new PoisonMessageError(`${what} is invalid at: ${where}`);
  }
  return JSON.stringify(parsed.data);
}

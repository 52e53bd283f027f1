import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler } from 'fastify';

/*
 * Two validators, both refusing unknown properties (no silent removal) and keeping each
 * error's schema (`verbose`) for the message's description:
 * - bodies are JSON and are checked as sent: `12345` is not a string, `"true"` not a boolean;
 * - path parameters and query strings are text by nature, so a declared number or boolean
 *   is read from its text (fastify's default coercion).
 */
const pool = AjvCompiler();
const common = { removeAdditional: false, verbose: true } as const;
const asSent = pool({}, { customOptions: { ...common, coerceTypes: false } });
const fromText = pool({}, { customOptions: { ...common, coerceTypes: 'array' } });

/** A JSON schema as Ajv takes it. */
type Schema = Parameters<typeof asSent>[0]['schema'];

export const validatorCompiler: FastifySchemaCompiler<Schema> = (route) =>
  (route.httpPart === 'body' ? asSent : fromText)(route);

import type { FastifySchemaValidationError } from 'fastify';

/**
 * The message of a 400 for input that does not fit a route's schema: where it is and what
 * is expected (a schema node's `description` when it has one). Never the value itself, nor
 * the name of an unexpected property: either may be personal data, and messages are logged.
 */
export function validationMessage(
  errors: readonly FastifySchemaValidationError[],
  dataVar: string,
): string {
  // The last error is the outermost: a failed `anyOf` lists its branches' errors first.
  const error = errors.at(-1);
  if (!error) return `invalid request: ${dataVar} is not valid`;
  const where = `${dataVar}${error.instancePath.replaceAll('/', '.')}`;
  const described = (error as { parentSchema?: { description?: unknown } }).parentSchema
    ?.description;
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty?: unknown }).missingProperty;
    return `invalid request: ${where}.${String(missing)} is required`;
  }
  if (error.keyword === 'additionalProperties') {
    return `invalid request: ${where} has a property that is not allowed${typeof described === 'string' ? ` (expected ${described})` : ''}`;
  }
  if (typeof described === 'string') return `invalid request: ${where} must be ${described}`;
  return `invalid request: ${where} ${error.message ?? 'is not valid'}`;
}

import type { FastifySchemaValidationError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { validationMessage } from './validation-errors.js';

const error = (e: Partial<FastifySchemaValidationError> & Record<string, unknown>) =>
  ({ instancePath: '', schemaPath: '', params: {}, ...e }) as FastifySchemaValidationError;

describe('validationMessage', () => {
  it('names the place and the expected shape, from the description', () => {
    const message = validationMessage(
      [
        error({
          keyword: 'pattern',
          instancePath: '/customerId',
          parentSchema: { description: 'a customer number' },
          message: 'must match pattern "^x$"',
        }),
      ],
      'body',
    );
    expect(message).toBe('invalid request: body.customerId must be a customer number');
  });

  it('never repeats an unexpected property name (it may be personal data)', () => {
    const message = validationMessage(
      [error({ keyword: 'additionalProperties', params: { additionalProperty: '010190-123A' } })],
      'body',
    );
    expect(message).toBe('invalid request: body has a property that is not allowed');
    expect(message).not.toContain('010190');
  });

  it('names a missing property, and falls back to the validator text', () => {
    expect(
      validationMessage(
        [error({ keyword: 'required', params: { missingProperty: 'from' } })],
        'querystring',
      ),
    ).toBe('invalid request: querystring.from is required');
    expect(validationMessage([error({ keyword: 'type', message: 'must be object' })], 'body')).toBe(
      'invalid request: body must be object',
    );
  });
});

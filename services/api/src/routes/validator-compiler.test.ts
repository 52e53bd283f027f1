import { describe, expect, it } from 'vitest';
import { validatorCompiler } from './validator-compiler.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: { n: { type: 'integer' }, s: { type: 'string' } },
};
const validate = (httpPart: string, data: unknown) => {
  const fn = validatorCompiler({ schema, httpPart, method: 'POST', url: '/x' }) as ((
    d: unknown,
  ) => boolean) & { errors?: Array<{ keyword: string }> | null };
  return { ok: fn(data), errors: fn.errors?.map((e) => e.keyword) ?? [] };
};

describe('validatorCompiler', () => {
  it('checks bodies as sent: no coercion, unknown properties refused', () => {
    expect(validate('body', { n: '10' })).toEqual({ ok: false, errors: ['type'] });
    expect(validate('body', { s: 12345 })).toEqual({ ok: false, errors: ['type'] });
    expect(validate('body', { n: 10, extra: 1 })).toEqual({
      ok: false,
      errors: ['additionalProperties'],
    });
  });

  it('reads declared numbers in query strings and params from their text', () => {
    const query = { n: '10' };
    expect(validate('querystring', query).ok).toBe(true);
    expect(query.n).toBe(10);
    expect(validate('params', { n: '10', extra: '1' }).errors).toEqual(['additionalProperties']);
  });
});

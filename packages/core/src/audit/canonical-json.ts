/**
 * Serialises a JSON value with object keys sorted (UTF-16 code-unit order, as RFC 8785)
 * and no whitespace, so equal values always give the same text: what a hash is taken of.
 * Like `JSON.stringify`, it honours `toJSON`, drops object properties whose value is
 * `undefined` (a record read back from JSON has no such property, and must hash the same)
 * and writes `undefined` array items as `null`.
 * @throws TypeError for a value JSON cannot represent faithfully: a non-finite number, a
 * bigint, a function or symbol, or a cyclic structure.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(input: unknown, ancestors: Set<object>): string {
  const value = withToJson(input);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not JSON`);
      return JSON.stringify(value);
    case 'object':
      return writeObject(value, ancestors);
    default:
      throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
  }
}

function writeObject(value: object, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError('canonicalJson: cyclic structure');
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    // Array.from, not map: a hole must become null, as in JSON.stringify.
    const items = Array.from(value, (item: unknown) =>
      item === undefined ? 'null' : write(item, ancestors),
    );
    text = `[${items.join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${write(record[key], ancestors)}`);
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}

function withToJson(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'toJSON' in value) {
    const toJson = (value as { toJSON: unknown }).toJSON;
    if (typeof toJson === 'function') return toJson.call(value);
  }
  return value;
}

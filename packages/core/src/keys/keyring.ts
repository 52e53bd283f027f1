import { LukemaError } from '../errors/lukema-error.js';

/**
 * Versioned master keys (key-encryption keys). Customer key material is wrapped under the
 * current version; older versions stay to unwrap what was wrapped before a rotation.
 */
export interface Keyring {
  readonly current: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Thrown when a keyring is malformed or a needed key version is absent. Not retriable. */
export class KeyringError extends LukemaError {
  constructor(message: string) {
    super(message, { retriable: false });
  }
}

/**
 * Parses a keyring document: `{"current":"k2","keys":{"k1":"<base64>","k2":"<base64>"}}`,
 * each key 32 bytes.
 * @throws KeyringError naming what is wrong (never the key bytes).
 */
export function parseKeyring(text: string): Keyring {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new KeyringError('keyring is not valid JSON');
  }
  const { current, keys } = (doc ?? {}) as { current?: unknown; keys?: unknown };
  if (typeof current !== 'string' || typeof keys !== 'object' || keys === null) {
    throw new KeyringError('keyring needs "current" and "keys"');
  }
  const map = new Map<string, Buffer>();
  for (const [version, value] of Object.entries(keys)) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
    if (bytes.length !== 32)
      throw new KeyringError(`keyring key ${version} is not 32 bytes of base64`);
    map.set(version, bytes);
  }
  if (!map.has(current))
    throw new KeyringError(`keyring has no key for current version ${current}`);
  return { current, keys: map };
}

/** Serialises a keyring (for the local stack's generated keyring and rotation). */
export function formatKeyring(keyring: Keyring): string {
  const keys = Object.fromEntries([...keyring.keys].map(([v, k]) => [v, k.toString('base64')]));
  return `${JSON.stringify({ current: keyring.current, keys }, null, 2)}\n`;
}

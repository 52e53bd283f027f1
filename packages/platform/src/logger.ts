import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Every field name that can hold personal data, at any of the first two levels. Code
 * should never log such fields; redaction is the second line of defence.
 */
const PERSONAL_FIELDS = [
  'personalIdentityCode',
  'identityCode',
  'ssn',
  'hetu',
  'name',
  'firstName',
  'lastName',
  'address',
  'streetAddress',
  'email',
  'phone',
  'iban',
  'bankAccount',
  'customerNumber',
];

export const REDACT_PATHS = PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`]);

/**
 * The one root logger of a process; components take `logger.child({ component })`.
 * Logs go to stdout, or to `file` (appended, folder created) when given.
 */
export function createLogger(options: { level: string; name: string; file?: string }): Logger {
  const settings = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // `service`, not pino's `name`: `name` is a personal-data field and is redacted.
    base: { service: options.name, pid: process.pid },
  };
  return options.file
    ? pino(settings, pino.destination({ dest: options.file, mkdir: true, sync: false }))
    : pino(settings);
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@lukema/platform';
import { tokenCommand } from './cli-tokens.js';
import { readIdentityCode } from './read-identity-code.js';

const USAGE = `usage: lukema-rights <command> [options]   (the rights API's CLI)
  token create --name N --role dpo|analyst|operator|processor --purposes p1,p2 [--expires-in-days D]
  token revoke TOKEN_ID | token list         (straight on Redis; audited in <audit>.admin)
  export start (--customer ID | --identity-code | --identity-code-stdin) [--language fi|sv|en]
               [--download DIR]
  requests receive (--customer ID | --identity-code | --identity-code-stdin) --channel letter|email|phone|in_person
               [--received YYYY-MM-DD] [--language fi|sv|en]     (identity to verify)
  requests list | requests verify ID --method TEXT | requests approve ID
  requests deny ID --reason TEXT
  export list | export status ID | export retry ID | export cancel ID
  export download ID DIR
  reidentify PSEUDONYM
  objections set CUSTOMER --direct-marketing yes|no --market-research yes|no
  erase CUSTOMER
  audit verify
  audit list [--customer C] [--actor NAME] [--action A] [--from ISO] [--to ISO] [--limit N]
  dead-letters replay KIND                 (a reason kind as the console's operations page
                                            shows it; purpose internal_operations)
Every call but 'token …' goes through the HTTP API with LUKEMA_API_TOKEN (or --token)
and declares a purpose (--purpose, default access_request).
A personal identity code is never a command-line argument (those show in ps and the shell's
history): --identity-code asks for it without echo on a terminal, --identity-code-stdin (or
--identity-code with piped input) reads the first line of standard input.`;

const OPTIONS = {
  token: { type: 'string' },
  purpose: { type: 'string', default: 'access_request' },
  name: { type: 'string' },
  role: { type: 'string' },
  purposes: { type: 'string' },
  customer: { type: 'string' },
  // Flags only: the code itself is read from a hidden prompt or standard input.
  'identity-code': { type: 'boolean', default: false },
  'identity-code-stdin': { type: 'boolean', default: false },
  download: { type: 'string' },
  language: { type: 'string' },
  'direct-marketing': { type: 'string' },
  'market-research': { type: 'string' },
  'expires-in-days': { type: 'string' },
  actor: { type: 'string' },
  action: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  channel: { type: 'string' },
  received: { type: 'string' },
  method: { type: 'string' },
  reason: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

const parsed = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (error) {
    // Node's messages name the option, never its value.
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
const { values, positionals } = parsed;
const config = loadConfig(process.env);
const [command, sub, arg1, arg2] = positionals;
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
if (values.help || !command) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

async function call(method: string, path: string, body?: unknown, purpose = values.purpose) {
  const token = values.token ?? config.api.token ?? fail('give --token or LUKEMA_API_TOKEN');
  const response = await fetch(`${config.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'x-lukema-purpose': purpose ?? 'access_request',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) fail(`${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response;
}
const json = async (method: string, path: string, body?: unknown, purpose?: string) =>
  (await call(method, path, body, purpose)).json() as Promise<Record<string, unknown>>;

async function download(id: string, given: string) {
  // npm runs this script inside services/api: a relative path is the caller's.
  const dir = resolve(config.callerDir ?? '.', given);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const file of ['access-export.csv', 'access-export.json', 'access-report.html']) {
    const response = await call('GET', `/v1/access-requests/${id}/files/${file}`);
    await writeFile(join(dir, file), Buffer.from(await response.arrayBuffer()), { mode: 0o600 });
    console.log(`wrote ${join(dir, file)}`);
  }
}

/** Follows an export with a progress bar until it completes or fails. */
async function follow(id: string) {
  for (;;) {
    const status = await json('GET', `/v1/access-requests/${id}`);
    const progress = Number(status.progress ?? 0);
    const bar = '#'.repeat(Math.round(progress / 5)).padEnd(20, '.');
    process.stdout.write(`\r[${bar}] ${String(progress).padStart(3)} % ${status.state}   `);
    if (status.state === 'completed' || status.state === 'failed') {
      process.stdout.write('\n');
      return status;
    }
    // Each status read is audited: poll once a second, not faster.
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A held request's steps (`requests <step> ID`): the API's path for it, and the option it needs. */
const HELD_STEPS: Record<
  'verify' | 'approve' | 'deny',
  { path: string; option?: { name: 'method' | 'reason'; missing: string } }
> = {
  verify: {
    path: '/identity',
    option: { name: 'method', missing: 'give --method (how the identity was verified)' },
  },
  approve: { path: '/approval' },
  deny: { path: '/denial', option: { name: 'reason', missing: 'give --reason' } },
};

switch (`${command} ${sub ?? ''}`.trim()) {
  case 'token create':
  case 'token revoke':
  case 'token list':
    try {
      console.log(
        await tokenCommand(config, sub, arg1, {
          name: values.name,
          role: values.role,
          purposes: values.purposes,
          expiresInDays: values['expires-in-days'],
        }),
      );
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
    break;
  case 'audit list': {
    const query = new URLSearchParams();
    for (const key of ['customer', 'actor', 'action', 'from', 'to', 'limit'] as const) {
      const value = values[key];
      if (value !== undefined) query.set(key, value);
    }
    const result = (await json('GET', `/v1/audit/entries?${query}`)) as {
      entries: Array<Record<string, unknown>>;
      total: number;
      truncated: boolean;
    };
    for (const e of result.entries) {
      const details = e.details ? ` ${JSON.stringify(e.details)}` : '';
      console.log(
        `${e.at}  ${e.chain}#${e.seq}  ${e.actor} (${e.role}, ${e.purpose})  ${e.action} ${e.outcome}${e.subject ? ` subject=${e.subject}` : ''}${details}`,
      );
    }
    console.log(`${result.total} entries${result.truncated ? ' (only the latest shown)' : ''}`);
    break;
  }
  case 'export start': {
    const fromInput = values['identity-code'] || values['identity-code-stdin'];
    // `--identity-code <code>` (the old form) leaves the code as a positional: refuse it.
    if (arg1 !== undefined) {
      fail(
        'export start takes no arguments: give --customer ID, or --identity-code and type the code',
      );
    }
    if (values.customer && fromInput) fail('give either --customer or --identity-code, not both');
    const body = {
      ...(values.customer
        ? { customerId: values.customer }
        : fromInput
          ? {
              personalIdentityCode: await readIdentityCode(process.stdin, process.stderr).catch(
                (error: Error) => fail(error.message),
              ),
            }
          : fail('give --customer ID, --identity-code or --identity-code-stdin')),
      // The report's language (fi, sv or en); the API answers 400 to any other.
      ...(values.language === undefined ? {} : { language: values.language }),
    };
    const { requestId } = (await json('POST', '/v1/access-requests', body)) as {
      requestId: string;
    };
    console.log(`access request ${requestId}`);
    const status = await follow(requestId);
    const result = status.result as { found: boolean; readings: number } | undefined;
    if (status.state === 'failed') fail(`failed: ${status.failedReason}`);
    if (!result?.found) console.log('no data is held for this customer');
    else {
      console.log(`${result.readings} readings exported; the download expires ${status.expiresAt}`);
      if (values.download) await download(requestId, values.download);
    }
    break;
  }
  case 'requests receive': {
    const fromInput = values['identity-code'] || values['identity-code-stdin'];
    if (arg1 !== undefined) fail('requests receive takes no arguments; see --help');
    if (values.customer && fromInput) fail('give either --customer or --identity-code, not both');
    const subject = values.customer
      ? { customerId: values.customer }
      : fromInput
        ? {
            personalIdentityCode: await readIdentityCode(process.stdin, process.stderr).catch(
              (error: Error) => fail(error.message),
            ),
          }
        : fail('give --customer ID, --identity-code or --identity-code-stdin');
    const held = await json('POST', '/v1/access-requests/received', {
      ...subject,
      channel: values.channel ?? fail('give --channel letter|email|phone|in_person'),
      ...(values.received === undefined ? {} : { received: values.received }),
      ...(values.language === undefined ? {} : { language: values.language }),
    });
    console.log(`access request ${held.requestId}: ${held.state} (received ${held.receivedAt})`);
    break;
  }
  case 'requests list':
    console.log(JSON.stringify(await json('GET', '/v1/access-requests/received'), null, 2));
    break;
  case 'requests verify':
  case 'requests approve':
  case 'requests deny': {
    const { path, option } = HELD_STEPS[sub as keyof typeof HELD_STEPS];
    const body = option && { [option.name]: values[option.name] ?? fail(option.missing) };
    console.log(JSON.stringify(await json('POST', `/v1/access-requests/${arg1}${path}`, body)));
    break;
  }
  case 'export list':
    console.log(JSON.stringify(await json('GET', '/v1/access-requests'), null, 2));
    break;
  case 'export status':
    console.log(
      JSON.stringify(
        await json('GET', `/v1/access-requests/${sub === 'status' ? arg1 : ''}`),
        null,
        2,
      ),
    );
    break;
  case 'export retry':
    console.log(JSON.stringify(await json('POST', `/v1/access-requests/${arg1}/retry`)));
    break;
  case 'export cancel':
    console.log(JSON.stringify(await json('DELETE', `/v1/access-requests/${arg1}`)));
    break;
  case 'export download':
    await download(arg1 ?? fail('give the request id'), arg2 ?? '.');
    break;
  default: {
    if (command === 'reidentify')
      console.log(JSON.stringify(await json('GET', `/v1/pseudonyms/${sub}`)));
    else if (command === 'objections' && sub === 'set') {
      const yes = (v: string | undefined) =>
        v === 'yes' ? true : v === 'no' ? false : fail('use yes or no');
      console.log(
        JSON.stringify(
          await json('PUT', `/v1/customers/${arg1}/objections`, {
            directMarketing: yes(values['direct-marketing']),
            marketResearch: yes(values['market-research']),
          }),
        ),
      );
    } else if (command === 'erase')
      console.log(JSON.stringify(await json('POST', `/v1/customers/${sub}/erasure`)));
    else if (command === 'audit' && sub === 'verify') {
      const result = await json('GET', '/v1/audit/verify');
      console.log(JSON.stringify(result, null, 2));
      if (!result.ok) process.exit(1);
    } else if (command === 'dead-letters' && sub === 'replay') {
      // The console's replay, through the same route: an operations action, whatever --purpose.
      const reason = arg1 ?? fail('give the reason kind, e.g. "unattributable"');
      const body = { reason };
      console.log(
        JSON.stringify(await json('POST', '/v1/dead-letters/replay', body, 'internal_operations')),
      );
    } else fail(USAGE);
  }
}

import { userInfo } from 'node:os';
import { PURPOSES, type Purpose, ROLES, type Role } from '@lukema/core';
import {
  auditTopic,
  type Config,
  createKafka,
  createLogger,
  createRedis,
  KafkaAuditLog,
  KafkajsProducer,
  KafkajsSnapshotReader,
  redisConnection,
} from '@lukema/platform';
import { TokenAdmin } from './token-admin.js';
import { RedisTokenStore, tokenHashKey } from './token-store.js';

export interface TokenCommandOptions {
  readonly name?: string | undefined;
  readonly role?: string | undefined;
  readonly purposes?: string | undefined;
  readonly expiresInDays?: string | undefined;
}

/** The CLI acts as `cli.<os user>`: who ran it, in the shape of a token name. */
function cliActor(): string {
  const user = userInfo()
    .username.toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-');
  return `cli.${user}`.slice(0, 63);
}

/**
 * `token create|revoke|list` straight on Redis, without the API: how the first DPO token is
 * made, and how a leaked one is revoked without a working token. Creation and revocation
 * are recorded first in the CLI's own audit chain (`<audit>.admin`).
 * @throws Error with a usage message for bad options; whatever TokenAdmin throws.
 */
export async function tokenCommand(
  config: Config,
  sub: string | undefined,
  arg: string | undefined,
  options: TokenCommandOptions,
): Promise<string> {
  const redis = createRedis(redisConnection(config));
  const kafka = createKafka({
    ...config.kafka,
    logger: createLogger({ level: 'error', name: 'rights-cli' }),
  });
  const producer = new KafkajsProducer(kafka);
  const audit = new KafkaAuditLog({
    producer,
    snapshots: new KafkajsSnapshotReader(kafka),
    topic: auditTopic(config.kafka.topics.audit, 'admin'),
  });
  const admin = new TokenAdmin({
    store: new RedisTokenStore(redis, tokenHashKey(config.registry.redisPrefix)),
    audit,
    ttlMs: config.api.tokenTtlMs,
    defaultActor: { actor: cliActor(), role: 'admin', purpose: 'internal_operations' },
  });
  try {
    if (sub === 'create') return await create(admin, options);
    if (sub === 'revoke') {
      if (!arg) throw new Error('give the token id (see token list)');
      const revoked = await admin.revoke(arg);
      if (!revoked) throw new Error('no token has that id');
      return `revoked ${revoked.id} (${revoked.name})`;
    }
    if (sub === 'list') {
      const now = Date.now();
      return (await admin.list())
        .map((t) => {
          const state = t.revokedAt
            ? `revoked ${t.revokedAt}`
            : Date.parse(t.expiresAt) > now
              ? `valid until ${t.expiresAt}`
              : `expired ${t.expiresAt ?? '(no expiry: re-create it)'}`;
          return `${t.id}  ${t.name}  ${t.role}  ${t.purposes.join(',')}  ${state}`;
        })
        .join('\n');
    }
    throw new Error('token create|revoke|list');
  } finally {
    await producer.close();
    redis.disconnect();
  }
}

async function create(admin: TokenAdmin, options: TokenCommandOptions): Promise<string> {
  const role = (options.role ?? '') as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const purposes = (options.purposes ?? '').split(',').filter(Boolean) as Purpose[];
  const unknown = purposes.filter((p) => !PURPOSES.includes(p));
  if (purposes.length === 0 || unknown.length > 0) {
    throw new Error(`--purposes from ${PURPOSES.join(', ')}`);
  }
  const days = options.expiresInDays === undefined ? undefined : Number(options.expiresInDays);
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 366)) {
    throw new Error('--expires-in-days must be a whole number from 1 to 366');
  }
  if (!options.name) throw new Error('--name is required');
  const { token, stored } = await admin.issue(options.name, role, purposes, {
    ...(days ? { ttlMs: days * 86_400_000 } : {}),
  });
  // The token on stdout alone (for `export LUKEMA_API_TOKEN=$(…)`), its record on stderr.
  console.error(`token ${stored.id} (${stored.name}) valid until ${stored.expiresAt}`);
  return token;
}

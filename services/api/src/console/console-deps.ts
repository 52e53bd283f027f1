import type { AuditRecord } from '@lukema/core';
import type {
  AuditLog,
  IoredisHeldRequests,
  LegalHolds,
  ReadingsReader,
  RegistryWriter,
} from '@lukema/platform';
import type { FastifyInstance } from 'fastify';
import type { ExportJobs } from '../export-jobs.js';
import type { Operations } from '../operations.js';
import type { TokenStore } from '../token-store.js';
import type { OidcClient } from './oidc-client.js';
import type { SessionStore } from './sessions.js';
import type { SignInLinks } from './sign-in-links.js';
import type { UiTexts } from './ui-texts.js';

/** What the DPO console and the customer's page need besides the API itself. */
export interface ConsoleDeps {
  /** The API: every DPO form goes through its routes, as the CLI does. */
  readonly api: FastifyInstance;
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly auditRecords: () => Promise<AuditRecord[]>;
  readonly registry: Pick<RegistryWriter, 'contractsOfCustomer' | 'objectionsOf'>;
  readonly readings: Pick<ReadingsReader, 'seriesReadings'>;
  readonly bucket: string;
  readonly exports: Pick<ExportJobs, 'queue'>;
  /** The operator's corner: readiness, lag, dead letters by kind. */
  readonly operations: Pick<Operations, 'overview'>;
  readonly publishObjection: (customerId: string, value: string) => Promise<void>;
  readonly links: SignInLinks;
  readonly legalHolds: Pick<LegalHolds, 'holdOf'>;
  /** The utility's identity provider (production); absent: one-time links only. */
  readonly oidc?: OidcClient;
  /** The customer a personal identity code belongs to (looked up by its keyed hash). */
  readonly customerByIdentityCode: (code: string) => Promise<string | undefined>;
  readonly texts: UiTexts;
  /** Where the customer's own access request is held until the DPO approves it. */
  readonly heldRequests: Pick<IoredisHeldRequests, 'save'>;
  /** Console and customer-page sessions (Redis). */
  readonly sessions: SessionStore;
  /** Idle timeout of a console session. */
  readonly sessionIdleMs: number;
}

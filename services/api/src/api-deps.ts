import type { Action, AuditRecord, DisclosureRule } from '@lukema/core';
import type {
  AuditLog,
  IoredisHeldRequests,
  LegalHolds,
  PrivacyBudgetStore,
  ReadingsReader,
  RegistryWriter,
  ReplayReport,
  SeriesOwnership,
} from '@lukema/platform';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { ExportJobs } from './export-jobs.js';
import type { ObjectionFilter } from './objection-filter.js';
import type { TokenAdmin } from './token-admin.js';

/** What the HTTP API needs; createServer takes it whole, so tests can build their own. */
export interface ApiDeps {
  readonly can: (action: Action) => preHandlerAsyncHookHandler;
  readonly audit: AuditLog;
  readonly auditChains: () => Promise<Record<string, AuditRecord[]>>;
  readonly registry: RegistryWriter;
  readonly identityHash: (code: string) => string;
  readonly exports: ExportJobs;
  /** Access requests received and not yet approved (identity to verify, new, denied). */
  readonly heldRequests: Pick<
    IoredisHeldRequests,
    'save' | 'get' | 'list' | 'remove' | 'keepSeconds'
  >;
  readonly exportDirectory: string;
  /** Each series' area (the raw series carry none): the registry. */
  readonly seriesAreas: Pick<SeriesOwnership, 'areasOfPseudonyms'>;
  readonly readings: Pick<
    ReadingsReader,
    'dailyConsumption' | 'periodContributions' | 'areaPeriods' | 'areaProfile'
  >;
  /** The analysts' disclosure control (k, dominance share), from config. */
  readonly disclosure: DisclosureRule;
  /** Differential privacy for market research: parameters from config, durable budgets. */
  readonly privacy: {
    readonly epsilonPerQuery: number;
    readonly budget: number;
    readonly clampKwh: number;
    /** Most areas one customer's sites are counted in for the epsilon split. */
    readonly areasPerCustomer: number;
    readonly budgets: PrivacyBudgetStore;
  };
  readonly bucket: string;
  /** The rollups the analysts' aggregates read. */
  readonly rollupBucket: string;
  readonly objections: ObjectionFilter;
  readonly topics: { readonly objections: string; readonly erasures: string };
  /** Publishes an event already encoded by its shared schema (`@lukema/schemas`). */
  readonly publish: (topic: string, key: string, value: string) => Promise<void>;
  /** Token creation and revocation, audited before they take effect. */
  readonly tokens: TokenAdmin;
  /** Legal holds: an erasure is refused while one applies. */
  readonly legalHolds: LegalHolds;
  /** The readings' dead-letter replay (the CLI's function), by reason kind. */
  readonly deadLetters: { readonly replay: (kind: string) => Promise<ReplayReport> };
}

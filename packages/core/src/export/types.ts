import type { DataStatus, Direction, Resolution } from '../reading.js';
import type { Quality } from '../validation/quality.js';
import type { PrivacyPolicy } from './privacy-policy.js';
import type { Language } from './report-texts.js';

/** One validated interval of one of the subject's series, as the export formats it. */
export interface ExportReading {
  readonly meteringPointId: string;
  readonly direction: Direction;
  readonly resolution: Resolution;
  /** Start of the interval, UTC epoch milliseconds. */
  readonly startMs: number;
  /** Energy in watt-hours, an exact integer (kWh with 3 decimals); null when missing. */
  readonly quantityWh: number | null;
  readonly quality: Quality;
  /** The Datahub status the head-end sent with the reading; absent or null when none was. */
  readonly dataStatus?: DataStatus | null;
}

/** One of the subject's contracts. Dates are Finnish local dates, `[startDate, endDate)`. */
export interface ExportContract {
  readonly contractId: string;
  readonly siteId: string;
  /** The coarse area of the site (postal-code area), never an address. */
  readonly area: string;
  readonly meteringPointIds: readonly string[];
  readonly startDate: string;
  /** Exclusive; null while the contract is open-ended. */
  readonly endDate: string | null;
}

/** One disclosure or access of the subject's data, as the audit trail recorded it. */
export interface ExportDisclosure {
  /** ISO 8601 instant. */
  readonly at: string;
  readonly role: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly action: string;
}

/** Everything an access-request export is made of; the caller gathers it, no I/O here. */
export interface AccessExportInput {
  readonly customerId: string;
  readonly requestId: string;
  /** ISO 8601 instant. */
  readonly generatedAt: string;
  readonly contracts: readonly ExportContract[];
  readonly readings: readonly ExportReading[];
  readonly disclosures: readonly ExportDisclosure[];
  readonly policy: PrivacyPolicy;
  /** The HTML report's language; the policy's default language when not given. */
  readonly language?: Language;
}

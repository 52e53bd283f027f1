export * from './datahub-csv.js';
export * from './export-json.js';
export * from './html-report.js';
export * from './policy-retention.js';
export * from './privacy-policy.js';
export * from './privacy-policy-error.js';
export * from './reading-runs.js';
export * from './report-texts.js';
export type * from './types.js';

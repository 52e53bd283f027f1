export {
  type Contribution,
  compareGroups,
  type GroupKey,
  type GuardedResult,
  guardedAggregates,
  guardedLoadProfile,
  percentile,
  type ReleasedGroup,
  type WithheldGroup,
} from './aggregate.js';
export {
  type AreaGroupFigures,
  type AreaVerdict,
  areaVerdict,
  exactGroupVerdicts,
  type GroupContribution,
} from './area-guard.js';
export {
  coarserArea,
  DEFAULT_DISCLOSURE_RULE,
  type DisclosureRule,
  type GroupVerdict,
  judgeGroup,
  type WithheldReason,
} from './group-guard.js';
export {
  ANALYTICS_ZONE,
  type Granularity,
  helsinkiParts,
  hourOfDay,
  periodLabel,
} from './helsinki-time.js';

export {
  type Contribution,
  compareGroups,
  type GroupKey,
  type GuardedResult,
  guardedAggregates,
  guardedLoadProfile,
  percentile,
  type ReleasedGroup,
  suppressComplements,
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
  type AreaFigureSums,
  type CoarseAreaFigures,
  coarseAreaFigures,
} from './coarse-areas.js';
export {
  complementarySuppression,
  type LeftOutPart,
  parentArea,
  parentPeriod,
  type SuppressionCell,
  type SuppressionDimensions,
} from './complementary.js';
export {
  coarserArea,
  DEFAULT_DISCLOSURE_RULE,
  type DisclosureRule,
  type GroupVerdict,
  groupId,
  judgeGroup,
  largestAbs,
  leftOutPartPasses,
  leftOutReason,
  type WithheldReason,
} from './group-guard.js';
export {
  ANALYTICS_ZONE,
  type Granularity,
  helsinkiParts,
  hourOfDay,
  periodLabel,
} from './helsinki-time.js';
export {
  type GridUnit,
  helsinkiDateStart,
  nextPeriodStart,
  offGrid,
  periodStart,
} from './period-grid.js';

export {
  AREA_DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  type AreaRollupPoint,
  type AreaTags,
  areaRollupLine,
  loadProfileCell,
  rollupAreas,
} from './area-rollup.js';
export {
  DAILY_MEASUREMENT,
  HOUR_MS,
  HOURLY_MEASUREMENT,
  helsinkiDayStart,
  hoursOfLines,
  nextHelsinkiDay,
  type RawReading,
  type RollupPoint,
  rollupDays,
  rollupHours,
  rollupLine,
  type SeriesTags,
  weakerQuality,
} from './rollup.js';

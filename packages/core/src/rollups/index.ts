export {
  AREA_DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  type AreaRollupPoint,
  type AreaTags,
  areaRollupLine,
  helsinkiMonthStart,
  nextHelsinkiMonth,
  rollupAreas,
} from './area-rollup.js';
export {
  AREA_PROFILE_CELLS_MEASUREMENT,
  LEGACY_AREA_PROFILE_MEASUREMENT,
  loadProfileCell,
  PROFILE_CELLS,
  type ProfileMonthPoint,
  profileCellIndex,
  profileCellName,
  profileCellOfName,
  profileCellOfTime,
  profileCellTime,
  profileMonthLine,
} from './profile-cells.js';
export { type SeriesReading, UNKNOWN_AREA, withAreas } from './reading-areas.js';
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

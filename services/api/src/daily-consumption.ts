import {
  checkedArea,
  type DailyConsumption,
  type DailyConsumptionQuery,
  type ReadingsReader,
  type SeriesOwnership,
} from '@lukema/platform';

/** One pseudonym's consumption on one local day, with the area of its contract. */
export interface AreaDailyConsumption extends DailyConsumption {
  readonly area: string;
}

/**
 * Daily consumption per pseudonym in a window, each with its area, in one area when given.
 * The raw series carry no area (see core's series-tags.ts): it is the registry's, by
 * pseudonym; a series the registry no longer knows counts as `unknown`.
 * @throws InvalidQueryValueError when the area or a time is not of its shape.
 * @throws QueryRejectedError, EngineUnavailableError from the readings port.
 */
export async function dailyConsumptionByArea(
  readings: Pick<ReadingsReader, 'dailyConsumption'>,
  areas: Pick<SeriesOwnership, 'areasOfPseudonyms'>,
  bucket: string,
  query: DailyConsumptionQuery & { readonly area?: string | undefined },
): Promise<AreaDailyConsumption[]> {
  const wanted = query.area === undefined ? undefined : checkedArea(query.area);
  const rows = await readings.dailyConsumption(bucket, {
    fromMs: query.fromMs,
    toMs: query.toMs,
  });
  const areaOf = await areas.areasOfPseudonyms(rows.map((r) => r.pseudonym));
  const out: AreaDailyConsumption[] = [];
  for (const r of rows) {
    const area = areaOf.get(r.pseudonym) ?? 'unknown';
    if (wanted === undefined || area === wanted) out.push({ ...r, area });
  }
  return out;
}

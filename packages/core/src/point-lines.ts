import type { ContractPeriod } from './contracts.js';
import { escapeTag, quoteStringField } from './line-protocol.js';
import type { Gap, ValidatedInterval } from './validation/index.js';

/** The measurement readings are stored in, and the one for reported gaps. */
export const ENERGY_MEASUREMENT = 'energy';
export const GAP_MEASUREMENT = 'data_gaps';

/**
 * Builds line protocol for readings. The tag part of a line is the same for every reading
 * of a series, so it is built once per series and reused: this is the hot path.
 * Tags carry only the pseudonym and coarse attributes, never an identifier.
 */
export class PointLines {
  private readonly prefixes = new Map<string, string>();

  /** The tag part of a series' lines; reuse it for every reading of the series. */
  prefix(measurement: string, period: ContractPeriod, direction: string, resolution: string) {
    const key = `${measurement}|${period.pseudonym}|${period.area}|${direction}|${resolution}`;
    let prefix = this.prefixes.get(key);
    if (prefix === undefined) {
      prefix =
        `${measurement},area=${escapeTag(period.area)},commodity=electricity,direction=${direction}` +
        `,pseudonym=${period.pseudonym},resolution=${resolution}`;
      if (this.prefixes.size > 500_000) this.prefixes.clear();
      this.prefixes.set(key, prefix);
    }
    return prefix;
  }

  /** A reading: kwh (absent when missing), quality, flags, and the revision that wrote it. */
  reading(
    period: ContractPeriod,
    direction: string,
    resolution: string,
    interval: ValidatedInterval,
    revision: number,
  ): string {
    return this.readingLine(
      this.prefix(ENERGY_MEASUREMENT, period, direction, resolution),
      interval,
      revision,
    );
  }

  /** A reading under a prefix from `prefix()`: the hot path. */
  readingLine(prefix: string, interval: ValidatedInterval, revision: number): string {
    let fields = `quality="${interval.quality}"`;
    if (interval.quantityWh !== null) fields = `kwh=${interval.quantityWh / 1000},${fields}`;
    if (interval.flags.length > 0) fields += `,flags=${quoteStringField(interval.flags.join(','))}`;
    return `${prefix} ${fields},rev=${revision}i ${interval.startMs}`;
  }

  /** A reported gap: how many intervals are missing from its start (never invented values). */
  gap(period: ContractPeriod, direction: string, resolution: string, gap: Gap): string {
    return `${this.prefix(GAP_MEASUREMENT, period, direction, resolution)} intervals=${gap.intervals}i ${gap.startMs}`;
  }
}

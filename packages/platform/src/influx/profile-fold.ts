import { StringDecoder } from 'node:string_decoder';
import { PROFILE_CELLS, profileCellIndex, profileCellName } from '@lukema/core';
import type { AreaFigures } from './area-queries.js';
import {
  type Columns,
  cellOfStamp,
  FIELD_CODES,
  fieldCode,
  MAX_COLUMNS,
  parseDecimal,
  splitQuoted,
} from './profile-csv.js';
import { QueryRejectedError } from './query-rejected-error.js';

/*
 * Adds the rows of a load profile's reads (see profile-queries.ts) up per area, commodity,
 * direction and cell, straight from the annotated CSV's text: ~300 k rows of a year are
 * too many for an object per row (the client library makes a string per line and an
 * object per row, which costs more than InfluxDB's own work here).
 */

// Per cell: kwh, topSum, customersSum, customersMax, windows, seen.
const KWH = 0;
const TOP = 1;
const CUSTOMERS = 2;
const MAX = 3;
const WINDOWS = 4;
const SEEN = 5;
const SLOTS = 6;

interface Group {
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
  readonly cells: Float64Array;
}

/** One response's rows: its own header and partial line, the fold's groups. */
class ProfileRows {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private columns: Columns | undefined;
  /** The start and end of each cell of the row at hand (fast path). */
  private readonly starts = new Int32Array(MAX_COLUMNS);
  private readonly ends = new Int32Array(MAX_COLUMNS);
  private error = -1;
  private readonly hourCells = new Map<string, number>();
  /** The table at hand (the previous row's), its group and its field's code. */
  private table = Number.NaN;
  private group: Group | undefined;
  private field = -1;

  constructor(
    private readonly fold: ProfileFold,
    private readonly kind: 'cells' | 'hours',
  ) {}

  readonly chunk = (bytes: Buffer): void => {
    const text = this.rest + this.decoder.write(bytes);
    let start = 0;
    let quote = text.indexOf('"');
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (quote >= 0 && quote < start) quote = text.indexOf('"', start);
      if (
        this.columns === undefined ||
        end === start ||
        text.charCodeAt(start) === 35 /* # */ ||
        this.error >= 0 ||
        (quote >= 0 && quote < end)
      ) {
        this.line(text.slice(start, end));
      } else {
        this.row(text, start, end, this.columns);
      }
      start = nl + 1;
    }
    this.rest = text.slice(start);
  };

  end(): void {
    const last = (this.rest + this.decoder.end()).replace(/\r$/, '');
    this.rest = '';
    if (last !== '') this.line(last);
  }

  private line(line: string): void {
    if (line === '' || line.charCodeAt(0) === 35 /* # */) {
      // A table's annotations or the blank line before them: a header follows.
      this.columns = undefined;
      return;
    }
    const cells = line.includes('"') ? splitQuoted(line) : line.split(',');
    if (this.columns === undefined) {
      this.error = cells.indexOf('error');
      const at = (name: string) => cells.indexOf(name);
      const columns = {
        table: at('table'),
        time: at('_time'),
        value: at('_value'),
        field: at('_field'),
        area: at('area'),
        commodity: at('commodity'),
        direction: at('direction'),
        count: 0,
        fast: 0,
      };
      columns.fast = 1 + Math.max(columns.table, columns.time, columns.value);
      columns.count =
        1 +
        Math.max(
          columns.time,
          columns.value,
          columns.field,
          columns.area,
          columns.commodity,
          columns.direction,
        );
      if (
        this.error < 0 &&
        (columns.count > MAX_COLUMNS || Math.min(columns.table, columns.time, columns.value) < 0)
      ) {
        throw new QueryRejectedError(200, `unexpected columns ${line}`, {
          context: { what: 'query' },
        });
      }
      this.columns = columns;
      this.group = undefined;
      return;
    }
    if (this.error >= 0) {
      throw new QueryRejectedError(200, cells[this.error] ?? '', { context: { what: 'query' } });
    }
    const c = this.columns;
    const time = cells[c.time] ?? '';
    const cell = this.kind === 'cells' ? cellOfStamp(time) : this.hourCell(time);
    this.fold.add(
      cells[c.area] ?? '',
      cells[c.commodity] ?? '',
      cells[c.direction] ?? '',
      cell,
      cells[c.field] ?? '',
      Number(cells[c.value]),
      this.kind,
    );
  }

  /**
   * A data row without quotes, read in place: no string per line or cell, the group's tags
   * compared with the previous row's, the number parsed from its digits.
   */
  private row(text: string, start: number, end: number, c: Columns): void {
    const s = this.starts;
    const e = this.ends;
    // A table is one series (its tags and field in its group key): the cells up to the
    // time and value suffice for a row of the table at hand.
    let col = 0;
    let p = start;
    for (; col < c.fast; col++) {
      let comma = text.indexOf(',', p);
      if (comma < 0 || comma > end) comma = end;
      s[col] = p;
      e[col] = comma;
      p = comma + 1;
    }
    const table = parseDecimal(text, s[c.table] as number, e[c.table] as number);
    if (table !== this.table || this.group === undefined) {
      for (; col < c.count; col++) {
        let comma = text.indexOf(',', p);
        if (comma < 0 || comma > end) comma = end;
        s[col] = p;
        e[col] = comma;
        p = comma + 1;
      }
      this.table = table;
      this.group = this.fold.groupAt(
        text,
        s[c.area] as number,
        e[c.area] as number,
        s[c.commodity] as number,
        e[c.commodity] as number,
        s[c.direction] as number,
        e[c.direction] as number,
      );
      this.field = fieldCode(text, s[c.field] as number, e[c.field] as number);
    }
    const t = s[c.time] as number;
    const tEnd = e[c.time] as number;
    const cell =
      this.kind === 'cells'
        ? tEnd - t >= 20 && text.charCodeAt(t + 16) === 58 /* : */
          ? (text.charCodeAt(t + 17) - 48) * 10 + (text.charCodeAt(t + 18) - 48)
          : cellOfStamp(text.slice(t, tEnd))
        : this.hourCell(text.slice(t, tEnd));
    const value = parseDecimal(text, s[c.value] as number, e[c.value] as number);
    this.fold.addTo(this.group, cell, this.field, value, this.kind);
  }

  private hourCell(time: string): number {
    let cell = this.hourCells.get(time);
    if (cell === undefined) {
      cell = profileCellIndex(Date.parse(time));
      this.hourCells.set(time, cell);
    }
    return cell;
  }
}

/** The figures per area, commodity, direction and cell of a load profile's reads. */
export class ProfileFold {
  private readonly groups = new Map<string, Group>();
  private last: Group | undefined;

  /** A parser of one response of `kind` into this fold: its `chunk`, then `end()`. */
  rows(kind: 'cells' | 'hours'): { chunk: (bytes: Buffer) => void; end: () => void } {
    const rows = new ProfileRows(this, kind);
    return { chunk: rows.chunk, end: () => rows.end() };
  }

  /** Adds one row: a monthly cell's field, or an hourly area point's field at its cell. */
  add(
    area: string,
    commodity: string,
    direction: string,
    cell: number,
    field: string,
    value: number,
    kind: 'cells' | 'hours',
  ): void {
    this.addTo(this.group(area, commodity, direction), cell, FIELD_CODES[field] ?? -1, value, kind);
  }

  /** The group of the tags at these places of `text` (the last one's when they are equal). */
  groupAt(
    text: string,
    a0: number,
    a1: number,
    c0: number,
    c1: number,
    d0: number,
    d1: number,
  ): Group {
    const last = this.last;
    if (
      last !== undefined &&
      a1 - a0 === last.area.length &&
      c1 - c0 === last.commodity.length &&
      d1 - d0 === last.direction.length &&
      text.startsWith(last.area, a0) &&
      text.startsWith(last.commodity, c0) &&
      text.startsWith(last.direction, d0)
    ) {
      return last;
    }
    return this.group(text.slice(a0, a1), text.slice(c0, c1), text.slice(d0, d1));
  }

  /** Adds a field's value (by its code, see FIELD_CODES) to a group's cell. */
  addTo(g: Group, cell: number, field: number, value: number, kind: 'cells' | 'hours'): void {
    if (cell < 0 || cell >= PROFILE_CELLS || Number.isNaN(value)) return;
    const at = cell * SLOTS;
    const s = g.cells;
    switch (field) {
      case 0:
        s[at + KWH] = (s[at + KWH] as number) + value;
        if (kind === 'hours') s[at + WINDOWS] = (s[at + WINDOWS] as number) + 1;
        break;
      case 1:
        s[at + TOP] = (s[at + TOP] as number) + value;
        break;
      case 2:
        s[at + CUSTOMERS] = (s[at + CUSTOMERS] as number) + value;
        if (kind === 'hours') s[at + MAX] = Math.max(s[at + MAX] as number, value);
        break;
      case 3:
        s[at + MAX] = Math.max(s[at + MAX] as number, value);
        break;
      case 4:
        s[at + WINDOWS] = (s[at + WINDOWS] as number) + value;
        break;
      default:
        return;
    }
    s[at + SEEN] = 1;
  }

  private group(area: string, commodity: string, direction: string): Group {
    const last = this.last;
    if (
      last !== undefined &&
      last.area === area &&
      last.commodity === commodity &&
      last.direction === direction
    ) {
      return last;
    }
    const key = `${area}\u0000${commodity}\u0000${direction}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      g = { area, commodity, direction, cells: new Float64Array(PROFILE_CELLS * SLOTS) };
      this.groups.set(key, g);
    }
    this.last = g;
    return g;
  }

  /** One record per group and cell that had a row. */
  figures(): AreaFigures[] {
    const out: AreaFigures[] = [];
    for (const g of this.groups.values()) {
      for (let cell = 0; cell < PROFILE_CELLS; cell++) {
        const at = cell * SLOTS;
        const s = g.cells;
        if (s[at + SEEN] !== 1) continue;
        out.push({
          area: g.area,
          commodity: g.commodity,
          direction: g.direction,
          cell: profileCellName(cell),
          kwh: s[at + KWH] as number,
          topSum: s[at + TOP] as number,
          customersSum: s[at + CUSTOMERS] as number,
          customersMax: s[at + MAX] as number,
          windows: s[at + WINDOWS] as number,
        });
      }
    }
    return out;
  }
}

import { StringDecoder } from 'node:string_decoder';
import { PROFILE_CELLS, profileCellIndex, profileCellName } from '@lukema/core';
import type { AreaFigures } from './area-queries.js';
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

/** Splits a CSV line with quoted cells (a tag value holding a comma or a quote). */
function splitQuoted(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}

/** The cell of a monthly cell's RFC 3339 time: its seconds (`…T22:00:14Z`). */
function cellOfStamp(time: string): number {
  if (time.length >= 20 && time.charCodeAt(16) === 58 /* : */) {
    return (time.charCodeAt(17) - 48) * 10 + (time.charCodeAt(18) - 48);
  }
  return Math.floor(Date.parse(time) / 1000) % 60;
}

/** One response's rows: its own header and partial line, the fold's groups. */
class ProfileRows {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private columns: { time: number; value: number; field: number; tags: number[] } | undefined;
  private error = -1;
  private readonly hourCells = new Map<string, number>();

  constructor(
    private readonly fold: ProfileFold,
    private readonly kind: 'cells' | 'hours',
  ) {}

  readonly chunk = (bytes: Buffer): void => {
    const text = this.rest + this.decoder.write(bytes);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(text.slice(start, end));
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
      this.columns = {
        time: at('_time'),
        value: at('_value'),
        field: at('_field'),
        tags: [at('area'), at('commodity'), at('direction')],
      };
      return;
    }
    if (this.error >= 0) {
      throw new QueryRejectedError(200, cells[this.error] ?? '', { context: { what: 'query' } });
    }
    const c = this.columns;
    const [a, m, d] = c.tags as [number, number, number];
    const time = cells[c.time] ?? '';
    const cell = this.kind === 'cells' ? cellOfStamp(time) : this.hourCell(time);
    this.fold.add(
      cells[a] ?? '',
      cells[m] ?? '',
      cells[d] ?? '',
      cell,
      cells[c.field] ?? '',
      Number(cells[c.value]),
      this.kind,
    );
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
    if (cell < 0 || cell >= PROFILE_CELLS || Number.isNaN(value)) return;
    const g = this.group(area, commodity, direction);
    const at = cell * SLOTS;
    const s = g.cells;
    switch (field) {
      case 'kwh':
        s[at + KWH] = (s[at + KWH] as number) + value;
        if (kind === 'hours') s[at + WINDOWS] = (s[at + WINDOWS] as number) + 1;
        break;
      case 'top':
        s[at + TOP] = (s[at + TOP] as number) + value;
        break;
      case 'customers':
        s[at + CUSTOMERS] = (s[at + CUSTOMERS] as number) + value;
        if (kind === 'hours') s[at + MAX] = Math.max(s[at + MAX] as number, value);
        break;
      case 'customersMax':
        s[at + MAX] = Math.max(s[at + MAX] as number, value);
        break;
      case 'windows':
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

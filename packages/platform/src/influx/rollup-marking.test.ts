import { describe, expect, it } from 'vitest';
import type { LineWriter, SeriesStore } from './ports.js';
import { RollupMarkingChunkWriter, RollupMarkingSeriesStore } from './rollup-marking.js';

const H = 3_600_000;
const T = Date.UTC(2026, 10, 1);

function ledger() {
  const marked: number[] = [];
  return { marked, mark: async (hours: Iterable<number>) => void marked.push(...hours) };
}

describe('rollup marking', () => {
  it('marks the hours of a chunk once InfluxDB acknowledged it, and reports a failed mark', async () => {
    const l = ledger();
    const chunk = {
      body: Buffer.from(`e,a=1 kwh=1 ${T + 60_000}\ne,a=1 kwh=1 ${T + H}\n`),
      count: 2,
    };
    const down = new RollupMarkingChunkWriter(
      { writeChunk: async () => Promise.reject(new Error('down')) },
      l,
    );
    await expect(down.writeChunk('b', chunk)).rejects.toThrow('down');
    expect(l.marked).toEqual([]);
    const ok = new RollupMarkingChunkWriter(
      { writeChunk: async () => ({ written: 2, droppedOutsideRetention: 0 }) },
      l,
    );
    await ok.writeChunk('b', chunk);
    await new Promise((r) => setImmediate(r));
    expect(l.marked.sort()).toEqual([T, T + H]);
    const failed: number[] = [];
    const lost = new RollupMarkingChunkWriter(
      { writeChunk: async () => ({ written: 2, droppedOutsideRetention: 0 }) },
      { mark: async () => Promise.reject(new Error('redis down')) },
      (_error, hours) => void failed.push(hours),
    );
    await lost.writeChunk('b', chunk);
    await new Promise((r) => setImmediate(r));
    expect(failed).toEqual([2]);
  });

  it('marks moved and deleted hours, and erases rollups with the readings', async () => {
    const l = ledger();
    const deleted: string[] = [];
    const inner = {
      storedPoints: async () => [],
      writeLines: async () => ({ written: 1, droppedOutsideRetention: 0 }),
      deleteSeriesPoints: async () => undefined,
      deleteSeries: async (bucket: string, p: string) => void deleted.push(`${bucket}/${p}`),
    } as SeriesStore & LineWriter;
    const store = new RollupMarkingSeriesStore(inner, l, 'rollups');
    await store.writeLines('readings', [`e,a=1 kwh=1 ${T + 5 * H}`]);
    await store.deleteSeriesPoints('readings', 'p', T + 30 * 60_000, T + 2 * H);
    expect(l.marked).toEqual([T + 5 * H, T, T + H]);
    await store.deleteSeries('readings', 'p');
    expect(deleted).toEqual(['readings/p', 'rollups/p']);
  });
});

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
  it('marks the hours of a chunk once InfluxDB acknowledged it, and fails the write when the mark fails', async () => {
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
    // Marked by the time the write resolves (the worker commits after it).
    await ok.writeChunk('b', chunk);
    expect(l.marked.sort()).toEqual([T, T + H]);
    const lost = new RollupMarkingChunkWriter(
      { writeChunk: async () => ({ written: 2, droppedOutsideRetention: 0 }) },
      { mark: async () => Promise.reject(new Error('redis down')) },
    );
    await expect(lost.writeChunk('b', chunk)).rejects.toThrow('redis down');
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
    // A delete marks before and after: a retry after it landed has nothing left to mark.
    expect(l.marked).toEqual([T + 5 * H, T, T + H, T, T + H]);
    await store.deleteSeries('readings', 'p');
    expect(deleted).toEqual(['readings/p', 'rollups/p']);
  });

  it('erasure whose mark after the delete failed has its hours marked before', async () => {
    const marked: number[] = [];
    let calls = 0;
    const flaky = {
      mark: async (hours: Iterable<number>) => {
        if (++calls === 2) throw new Error('redis down');
        marked.push(...hours);
      },
    };
    let stored = [{ time: new Date(T + 60_000).toISOString() }];
    const inner = {
      storedPoints: async () => stored,
      writeLines: async () => ({ written: 1, droppedOutsideRetention: 0 }),
      deleteSeriesPoints: async () => undefined,
      deleteSeries: async () => {
        stored = [];
      },
    } as unknown as SeriesStore & LineWriter;
    const store = new RollupMarkingSeriesStore(inner, flaky, 'rollups');
    await expect(store.deleteSeries('readings', 'p')).rejects.toThrow('redis down');
    await store.deleteSeries('readings', 'p'); // the retry: the readings are gone
    expect(marked).toEqual([T]);
  });
});

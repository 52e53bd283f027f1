/**
 * Sums a `.cpuprofile` (from `node --cpu-prof`) by self time: per function and per file,
 * in µs per reading when `--readings N` is given. `npx tsx bench/profile-summary.ts FILE
 * [--readings N] [--top K] [--window NAME]` (`--window`: only the samples from the first to
 * the last one with a function NAME on the stack, e.g. `map`: the consuming, not the start-up).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const args = process.argv.slice(2);
const opt = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!file) throw new Error('usage: profile-summary.ts FILE [--readings N] [--top K] [--from MS]');
const readings = Number(opt('--readings') ?? 0);
const top = Number(opt('--top') ?? 30);
const windowName = opt('--window');

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const onStack = (id: number, name: string) => {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
    if (byId.get(at)?.callFrame.functionName === name) return true;
  return false;
};
let first = 0;
let last = profile.samples.length - 1;
if (windowName) {
  first = profile.samples.findIndex((id) => onStack(id, windowName));
  while (last > first && !onStack(profile.samples[last] as number, windowName)) last--;
}
const selfUs = new Map<number, number>();
let total = 0;
for (let i = Math.max(first, 0); i <= last; i++) {
  const id = profile.samples[i] as number;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  total += dt;
}

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, 'nm:')
    .replace(/.*\/(packages|services|bench)\//, '$1/');
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = shortUrl(url) || '(native)';
  const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  const pkg = where.startsWith('nm:')
    ? where
        .split('/')
        .slice(0, where.startsWith('nm:@') ? 2 : 1)
        .join('/')
    : where;
  byFile.set(pkg, (byFile.get(pkg) ?? 0) + us);
}

/** The ingest worker's stages, by where a function lives (first match wins). */
const STAGES: ReadonlyArray<readonly [string, RegExp]> = [
  ['gc', /^\(garbage collector\)/],
  ['idle', /^\(idle\)/],
  ['kafka fetch (kafkajs)', /nm:kafkajs|kafkajs-adapter/],
  ['decode (avsc, codecs)', /nm:avsc|schemas\/src|decodeAll|readInterval|readIntervalReadingBatch/],
  ['validate', /validation\/|time-screening/],
  ['window digests, claims', /push-window|node:internal\/crypto|hash \(native/],
  [
    'redis (ioredis, stores)',
    /nm:ioredis|nm:redis|platform\/src\/redis|nm:cluster-key-slot|nm:denque/,
  ],
  [
    'line protocol (mapper, LineBuffer)',
    /meter-reading-mapper|point-lines|reading-code|contracts\.ts|node:buffer|utf8Write|writeUtf8String/,
  ],
  [
    'write (gzip, HTTP, rollup marks)',
    /zlib|_http|node:http|http-line-writer|rollup|node:net|stream|writev|influx/,
  ],
];
const byStage = new Map<string, number>();
for (const [fn, us] of byFunction) {
  const stage = STAGES.find(([, re]) => re.test(fn))?.[0] ?? 'other (runtime, promises, timers)';
  byStage.set(stage, (byStage.get(stage) ?? 0) + us);
}

const row = (name: string, us: number) => {
  const share = ((us / total) * 100).toFixed(1).padStart(5);
  const per = readings > 0 ? `${((us / readings) * 1).toFixed(3).padStart(7)} µs/reading` : '';
  return `${share} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${per}  ${name}`;
};
const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
const idle = [...selfUs].reduce(
  (sum, [id, us]) => (byId.get(id)?.callFrame.functionName === '(idle)' ? sum + us : sum),
  0,
);
console.log(
  `busy ${((total - idle) / 1000).toFixed(0)} ms${readings > 0 ? `, ${((total - idle) / readings).toFixed(2)} µs/reading` : ''}`,
);
console.log(
  `total sampled ${(total / 1000).toFixed(0)} ms${readings > 0 ? `, ${(total / readings).toFixed(2)} µs/reading` : ''}`,
);
console.log('\n-- by stage (self time)');
for (const [name, us] of sorted(byStage)) console.log(row(name, us));
console.log('\n-- by function (self time)');
for (const [name, us] of sorted(byFunction)) console.log(row(name, us));
console.log('\n-- by file/package (self time)');
for (const [name, us] of sorted(byFile)) console.log(row(name, us));

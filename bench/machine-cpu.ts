import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Linux's USER_HZ, the unit of /proc's CPU times (100 on every common kernel). */
const CLOCK_TICKS_PER_S = 100;

/** The engines whose CPU the bench accounts for, by the pid file their infra script keeps. */
const ENGINES = {
  influxdb: 'influxdb/influxd.pid',
  kafka: 'kafka/kafka.pid',
  redis: 'redis/redis.pid',
} as const;
export type Engine = keyof typeof ENGINES;

/** CPU time (user + system) of a process so far, in ms; 0 when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** The machine's busy and idle CPU time so far, in ms, over all cores (/proc/stat). */
function machineCpuMs(): { busy: number; idle: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, ...ticks] = line.trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is inside user already)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    ticks;
  const toMs = (t: number) => (t * 1000) / CLOCK_TICKS_PER_S;
  // Steal (the hypervisor running someone else on our cores) is neither ours nor idle.
  return {
    busy: toMs(user + nice + system + irq + softirq),
    idle: toMs(idle + iowait),
    steal: toMs(steal),
  };
}

function enginePid(engine: Engine): number | undefined {
  const data = process.env.LUKEMA_DATA ?? join(homedir(), '.cache/lukema/data');
  try {
    const pid = Number(readFileSync(join(data, ENGINES[engine]), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface CpuSnapshot {
  readonly at: number;
  readonly machine: { busy: number; idle: number; steal: number };
  readonly engines: Record<Engine, number>;
  readonly processes: Record<string, number>;
}

/**
 * Where the machine's CPU went between two snapshots: each engine's (by its pid file), the
 * named processes' (the worker), and the rest of the busy time (the kernel's network work
 * outside any process' account, the bench itself), in µs per unit of work (readings or
 * lines). Summed, it is the whole machine's CPU per reading: with the cores saturated,
 * readings/s ≈ cores ÷ that sum.
 */
export class MachineCpu {
  private readonly pids: Record<Engine, number | undefined>;

  constructor(private readonly processes: Record<string, () => number> = {}) {
    this.pids = {
      influxdb: enginePid('influxdb'),
      kafka: enginePid('kafka'),
      redis: enginePid('redis'),
    };
  }

  /** An engine's CPU time so far (ms); 0 when its pid file or process is gone. */
  engineCpuMs(engine: Engine): number {
    const pid = this.pids[engine];
    return pid === undefined ? 0 : processCpuMs(pid);
  }

  snapshot(): CpuSnapshot {
    const engines = {} as Record<Engine, number>;
    for (const engine of Object.keys(ENGINES) as Engine[])
      engines[engine] = this.engineCpuMs(engine);
    const processes: Record<string, number> = {};
    for (const [name, cpuMs] of Object.entries(this.processes)) processes[name] = cpuMs();
    return { at: performance.now(), machine: machineCpuMs(), engines, processes };
  }

  /**
   * µs of CPU per unit of work between `from` and `to`, by account; `idle_share` and
   * `steal_share` (taken by the hypervisor) of the cores' time.
   */
  static between(from: CpuSnapshot, to: CpuSnapshot, units: number): Record<string, number> {
    const per = (ms: number) => (ms * 1000) / units;
    const out: Record<string, number> = {};
    let named = 0;
    for (const engine of Object.keys(from.engines) as Engine[]) {
      const ms = (to.engines[engine] ?? 0) - (from.engines[engine] ?? 0);
      named += ms;
      out[engine] = per(ms);
    }
    for (const name of Object.keys(from.processes)) {
      const ms = (to.processes[name] ?? 0) - (from.processes[name] ?? 0);
      named += ms;
      out[name] = per(ms);
    }
    const busy = to.machine.busy - from.machine.busy;
    const idle = to.machine.idle - from.machine.idle;
    out.other = per(Math.max(0, busy - named));
    out.machine = per(busy);
    const steal = to.machine.steal - from.machine.steal;
    out.idle_share = idle / Math.max(1, busy + idle + steal);
    out.steal_share = steal / Math.max(1, busy + idle + steal);
    return out;
  }
}

// What `docker stats` shows, read where dockerd reads it: the container's
// cgroup files (v1 or v2, whichever holds each controller), its network
// namespace's /proc/<pid>/net/dev, and the machine's /proc/stat for the CPU
// time that passed meanwhile. CPU % is the container's share of that time,
// times the number of CPUs (100 % = one CPU busy), as the docker CLI
// computes it; memory leaves out inactive file pages, as the CLI does.

import fs from 'node:fs';
import path from 'node:path';
import type { ContainerStats } from '../../api';
import type { ContainerRow } from '../../store/containers';
import type { ContainerCgroups } from '../cgroups';

/** Raw counters of one container at one time. */
export interface Readings {
  cpuNs: number;
  memoryUsage: number;
  memoryLimit: number;
  pids: number;
  pidsLimit: number | null;
  blockRead: number;
  blockWrite: number;
  netRx: number;
  netTx: number;
  oomKills: number;
}

/** The machine's CPU time (ns, all CPUs) and CPU count, from /proc/stat. */
export interface SystemCpu {
  totalNs: number;
  onlineCpus: number;
}

const clockTicks = 100; // USER_HZ, what /proc/stat counts in on Linux

export function systemCpu(stat = fs.readFileSync('/proc/stat', 'utf8')): SystemCpu {
  let totalNs = 0;
  let onlineCpus = 0;
  for (const line of stat.split('\n')) {
    const fields = line.split(/\s+/);
    if (fields[0] === 'cpu') {
      // user nice system idle iowait irq softirq, as dockerd sums them
      totalNs = (fields.slice(1, 8).reduce((sum, f) => sum + Number(f), 0) * 1e9) / clockTicks;
    } else if (/^cpu\d+$/.test(fields[0])) onlineCpus++;
  }
  return { totalNs, onlineCpus };
}

let machineMemoryBytes: number | undefined;

/** MemTotal: what a container without a memory limit is measured against. */
export function machineMemory(): number {
  machineMemoryBytes ??= Number(/^MemTotal:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) * 1024;
  return machineMemoryBytes;
}

/** "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control). */
export function keyedNumbers(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) values.set(key, Number(value));
  }
  return values;
}

/** Bytes read and written: v1 blkio "MAJ:MIN Read N" lines, or v2 io.stat "MAJ:MIN rbytes=N wbytes=N ...". */
export function blockBytes(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of text.split('\n')) {
    const v1 = /^\d+:\d+ (Read|Write) (\d+)$/.exec(line.trim());
    if (v1) {
      if (v1[1] === 'Read') read += Number(v1[2]);
      else write += Number(v1[2]);
      continue;
    }
    read += Number(/\brbytes=(\d+)/.exec(line)?.[1] ?? 0);
    write += Number(/\bwbytes=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return { read, write };
}

/** Bytes through every interface of /proc/PID/net/dev but the loopback (Docker counts its endpoints'). */
export function netBytes(text: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === 'lo') continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    rx += f[0];
    tx += f[8];
  }
  return { rx, tx };
}

/** A v1 "unlimited" is a huge page-aligned number, v2 says "max". */
const limitValue = (text: string): number | null => {
  const t = text.trim();
  return t === 'max' || Number(t) >= 2 ** 62 ? null : Number(t);
};

/** Finds each cgroup file once per container: which of its cgroups (v1 controllers, v2) has it. */
export class CgroupFiles {
  private readonly found = new Map<string, string | null>();
  constructor(private readonly cg: ContainerCgroups) {}

  read(...names: string[]): string | undefined {
    for (const name of names) {
      let file = this.found.get(name);
      if (file === undefined) {
        file = this.cg.dirs.map((d) => path.join(d, name)).find((f) => fs.existsSync(f)) ?? null;
        this.found.set(name, file);
      }
      if (file === null) continue;
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        this.found.delete(name); // the cgroup went away with the container
      }
    }
    return undefined;
  }
}

/** NET_PID: whose /proc/PID/net/dev to read, or 0 for a container on the host's network (Docker counts no interface of it). */
export function readContainer(files: CgroupFiles, netPid: number): Readings {
  const cpuV1 = files.read('cpuacct.usage');
  const cpuNs = cpuV1 !== undefined ? Number(cpuV1) : (keyedNumbers(files.read('cpu.stat') ?? '').get('usage_usec') ?? 0) * 1000;
  const usage = Number(files.read('memory.usage_in_bytes', 'memory.current') ?? 0);
  const memStat = keyedNumbers(files.read('memory.stat') ?? '');
  const inactive = memStat.get('total_inactive_file') ?? memStat.get('inactive_file') ?? 0;
  const limit = limitValue(files.read('memory.limit_in_bytes', 'memory.max') ?? 'max');
  const block = blockBytes(files.read('blkio.throttle.io_service_bytes_recursive', 'blkio.io_service_bytes_recursive', 'io.stat') ?? '');
  const oom = keyedNumbers(files.read('memory.oom_control', 'memory.events') ?? '').get('oom_kill') ?? 0;
  let net = { rx: 0, tx: 0 };
  try {
    if (netPid > 0) net = netBytes(fs.readFileSync(`/proc/${netPid}/net/dev`, 'utf8'));
  } catch {
    // it exited meanwhile
  }
  return {
    cpuNs,
    memoryUsage: inactive < usage ? usage - inactive : usage,
    memoryLimit: limit === null || limit > machineMemory() ? machineMemory() : limit,
    pids: Number(files.read('pids.current') ?? 0),
    pidsLimit: limitValue(files.read('pids.max') ?? 'max'),
    blockRead: block.read,
    blockWrite: block.write,
    netRx: net.rx,
    netTx: net.tx,
    oomKills: oom,
  };
}

/** One row of `stats`: CPU over the time since `before` (the first sample has none, so 0 %). */
export function statsRow(
  row: Pick<ContainerRow, 'id' | 'name'>,
  now: Readings | undefined,
  before: { readings: Readings; system: SystemCpu } | undefined,
  system: SystemCpu,
): ContainerStats {
  if (!now) {
    return { id: row.id, name: row.name, running: false, cpuPercent: 0, memoryUsage: 0, memoryLimit: 0, memoryPercent: 0, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 0, pidsLimit: null, oomKills: 0 };
  }
  const cpuDelta = before ? now.cpuNs - before.readings.cpuNs : 0;
  const systemDelta = before ? system.totalNs - before.system.totalNs : 0;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * system.onlineCpus * 100 : 0;
  return {
    id: row.id,
    name: row.name,
    running: true,
    cpuPercent,
    memoryUsage: now.memoryUsage,
    memoryLimit: now.memoryLimit,
    memoryPercent: now.memoryLimit > 0 ? (now.memoryUsage / now.memoryLimit) * 100 : 0,
    netRx: now.netRx,
    netTx: now.netTx,
    blockRead: now.blockRead,
    blockWrite: now.blockWrite,
    pids: now.pids,
    pidsLimit: now.pidsLimit,
    oomKills: now.oomKills,
  };
}

// What this machine's cgroups can limit, found once per process, as
// dockerd's sysinfo finds it: a v1 controller's files in the engine's own
// cgroup, or the controller in the unified hierarchy's cgroup.controllers
// (hybrid machines have each controller on one side only).
//
// Here (Debian 12's kernel in this sandbox) memory, pids, cpu, cpuset and
// blkio are v1 controllers, blkio without its weight file (no BFQ), and the
// v2 hierarchy has only hugetlb.

import fs from 'node:fs';
import path from 'node:path';
import { ownCgroupDir } from '../cgroups';

export interface CgroupSupport {
  memory: boolean;
  swap: boolean;
  reservation: boolean;
  oomKillDisable: boolean;
  pids: boolean;
  cfs: boolean;
  shares: boolean;
  cpuset: boolean;
  blkioWeight: boolean;
  blkioWeightDevice: boolean;
  /** The block I/O throttles by device, v1's blkio.throttle.* or v2's io.max. */
  throttle: { readBps: boolean; writeBps: boolean; readIOps: boolean; writeIOps: boolean };
  swappiness: boolean;
  /** cpu.rt_period_us: real-time scheduling by group (cgroup v1 only). */
  cpuRealtime: boolean;
  /** The memory nodes the engine may use ("0"), what --cpuset-mems is checked against. */
  mems: string;
  /** The CPUs the engine itself may use ("0-1"), what --cpuset-cpus is checked against. */
  cpus: string;
}

let cached: CgroupSupport | undefined;

export function cgroupSupport(): CgroupSupport {
  cached ??= detect();
  return cached;
}

function v1Has(controller: string, file?: string): boolean {
  const dir = ownCgroupDir(controller);
  return dir !== undefined && (file === undefined || fs.existsSync(path.join(dir, file)));
}

function v2Controllers(): Set<string> {
  const dir = ownCgroupDir('v2');
  try {
    return new Set(fs.readFileSync(path.join(dir!, 'cgroup.controllers'), 'utf8').trim().split(/\s+/));
  } catch {
    return new Set();
  }
}

function detect(): CgroupSupport {
  const v2 = v2Controllers();
  const memory = v1Has('memory', 'memory.limit_in_bytes') || v2.has('memory');
  return {
    memory,
    swap: v1Has('memory', 'memory.memsw.limit_in_bytes') || v2.has('memory'),
    reservation: v1Has('memory', 'memory.soft_limit_in_bytes') || v2.has('memory'),
    oomKillDisable: v1Has('memory', 'memory.oom_control'),
    pids: v1Has('pids') || v2.has('pids'),
    cfs: v1Has('cpu', 'cpu.cfs_quota_us') || v2.has('cpu'),
    shares: v1Has('cpu', 'cpu.shares') || v2.has('cpu'),
    cpuset: v1Has('cpuset') || v2.has('cpuset'),
    blkioWeight: v1Has('blkio', 'blkio.weight') || v1Has('blkio', 'blkio.bfq.weight') || v2.has('io'),
    blkioWeightDevice: v1Has('blkio', 'blkio.weight_device') || v1Has('blkio', 'blkio.bfq.weight_device') || v2.has('io'),
    throttle: {
      readBps: v1Has('blkio', 'blkio.throttle.read_bps_device') || v2.has('io'),
      writeBps: v1Has('blkio', 'blkio.throttle.write_bps_device') || v2.has('io'),
      readIOps: v1Has('blkio', 'blkio.throttle.read_iops_device') || v2.has('io'),
      writeIOps: v1Has('blkio', 'blkio.throttle.write_iops_device') || v2.has('io'),
    },
    swappiness: v1Has('memory', 'memory.swappiness'),
    cpuRealtime: v1Has('cpu', 'cpu.rt_period_us'),
    cpus: effective('cpus', '/sys/devices/system/cpu/online'),
    mems: effective('mems', '/sys/devices/system/node/online'),
  };
}

/** The engine's own cpuset (cpus or mems), else the machine's online list (a kernel without NUMA: node 0). */
function effective(what: 'cpus' | 'mems', online: string): string {
  for (const [controller, file] of [
    ['cpuset', `cpuset.effective_${what}`],
    ['v2', `cpuset.${what}.effective`],
  ]) {
    const dir = ownCgroupDir(controller);
    try {
      const cpus = dir && fs.readFileSync(path.join(dir, file), 'utf8').trim();
      if (cpus) return cpus;
    } catch {
      // not this hierarchy
    }
  }
  try {
    return fs.readFileSync(online, 'utf8').trim();
  } catch {
    return '0';
  }
}
